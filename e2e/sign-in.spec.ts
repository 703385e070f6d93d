import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, signIn, visit, waitForHydration } from "./helpers";

test("a wrong password gets one neutral message, and repeated failures are rate-limited", async ({ page }) => {
  await visit(page, "/sign-in");
  await signIn(page, "viewer@helse-fjord.example", "not the password");
  await expect(page.getByText("The e-mail address or password is not correct.")).toBeVisible();
  await expectAccessible(page, "sign-in error");
  // An unknown account gets exactly the same answer.
  await signIn(page, `nobody-${Date.now()}@example.no`, "not the password");
  await expect(page.getByText("The e-mail address or password is not correct.")).toBeVisible();

  const target = `locked-${Date.now()}@example.no`;
  for (let i = 0; i < 5; i++) {
    await signIn(page, target, `wrong-${i}`);
    await expect(page.getByText("The e-mail address or password is not correct.")).toBeVisible();
  }
  await signIn(page, target, "wrong-again");
  await expect(page.getByText("Too many failed sign-in attempts")).toBeVisible();
});

test("the language switch turns the interface into Norwegian bokmål and back", async ({ page }) => {
  await visit(page, "/sign-in");
  await page.getByRole("button", { name: /NB/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Logg inn" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  await expectAccessible(page, "sign-in nb");
  await page.getByRole("button", { name: /EN/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();

  await signIn(page, "owner@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.goto("/helse-fjord/team");
  await page.getByRole("button", { name: /NB/ }).click();
  await expect(page.getByRole("heading", { name: "Inviter noen" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "nb");
  await expectAccessible(page, "team nb");
  await page.getByRole("button", { name: /EN/ }).click();
  await expect(page.getByRole("heading", { name: "Invite someone" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("roles decide what the navigation shows, and other organisations stay invisible", async ({ page }) => {
  await signIn(page, "viewer@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Portal" });
  await expect(nav.getByRole("link", { name: "Team" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Invoices" })).toHaveCount(0);
  await page.goto("/helse-fjord/team");
  await expect(page.getByRole("heading", { name: "Invite someone" })).toHaveCount(0);
  expect((await page.goto("/helse-fjord/invoices"))?.status()).toBe(404);
  expect((await page.goto("/nordvik-robotics"))?.status()).toBe(404);
  expect((await page.request.get("/nordvik-robotics/audit/export")).status()).toBe(404);
});

test("a member of two organisations switches between them", async ({ page }) => {
  await signIn(page, "consultant@nordlys-partner.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Your organisations" })).toBeVisible();
  await expectAccessible(page, "org chooser");
  await page.getByRole("link", { name: /Nordvik Robotics AS/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nordvik Robotics AS" })).toBeVisible();
  await page.locator("summary", { hasText: "Nordvik Robotics AS" }).click();
  await page.getByRole("link", { name: /Helse Fjord HF/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await expectAccessible(page, "overview after switch");
});

test("password reset by e-mail link, and sign out", async ({ page }) => {
  await visit(page, "/forgot-password");
  await page.getByLabel("E-mail address").fill("procurement@helse-fjord.example");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText("If an account exists for that address")).toBeVisible();
  await page.goto("/dev/mailbox?to=procurement@helse-fjord.example");
  await page.getByRole("link", { name: "Reset your password" }).first().click();
  const href = await page.locator("article a").first().getAttribute("href");
  const link = new URL(href!);
  await visit(page, `${link.pathname}${link.search}`);
  await page.getByRole("textbox", { name: "New password", exact: true }).fill("a fresh procurement pass");
  await page.getByLabel("Repeat the new password").fill("a fresh procurement pass");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("Your password has been changed")).toBeVisible();
  await signIn(page, "procurement@helse-fjord.example", "a fresh procurement pass");
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  // The link works only once.
  await page.goto(`${link.pathname}${link.search}`);
  await waitForHydration(page);
  await page.getByRole("textbox", { name: "New password", exact: true }).fill("yet another password");
  await page.getByLabel("Repeat the new password").fill("yet another password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("This link is invalid or has expired")).toBeVisible();
  await page.goto("/helse-fjord");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You have been signed out.")).toBeVisible();
});

test("public pages pass axe and carry the security headers", async ({ page }) => {
  for (const path of ["/", "/sign-up", "/forgot-password", "/verify-email", "/verify-email?token=abc", "/reset-password?token=abc", "/invite?token=bogus", "/dpa", "/dev/mailbox", "/no-such-page"]) {
    const response = await page.goto(path);
    const headers = response!.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["strict-transport-security"], path).toContain("max-age=");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    await expectAccessible(page, path);
  }
});
