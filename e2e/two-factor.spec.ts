import { expect, test, type Page } from "@playwright/test";
import { expectAccessible, linkFromMailbox, newPage, randomOrgNumber, visit, waitForHydration } from "./helpers";
import { totp } from "../server/auth/totp";

// A fresh organisation and owner of its own, so no other spec's users are touched.
const stamp = Date.now().toString(36);
const email = `twofactor-${stamp}@e2e-2fa.no`;
const password = "a two-factor passphrase 2026";
const orgName = `E2E Tofaktor ${stamp}`;

async function signUpAndVerify(page: Page) {
  await visit(page, "/sign-up");
  await page.getByLabel("Organisation name").fill(orgName);
  await page.getByLabel("Organisation number").fill(randomOrgNumber());
  await page.getByLabel("Sector").selectOption("PUBLIC_SECTOR");
  await page.getByLabel("Billing address").fill("Storgata 1");
  await page.getByLabel("Postal code").fill("0155");
  await page.getByLabel("City").fill("Oslo");
  await page.getByLabel("Buyer reference (Deres ref.)").fill("E2E-2FA");
  await page.getByLabel("Full name").fill("Tove Tofaktor");
  await page.getByLabel("Work e-mail address").fill(email);
  await page.getByRole("textbox", { name: "New password", exact: true }).fill(password);
  await page.getByLabel(/I accept the data-processing agreement/).check();
  await page.getByRole("button", { name: "Register organisation" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await visit(page, await linkFromMailbox(page, email, /Confirm your e-mail address/));
  await page.getByRole("button", { name: "Confirm e-mail address" }).click();
  await expect(page.getByText("Your e-mail address is confirmed")).toBeVisible();
}

/** Password step; the page then asks for the code. */
async function passwordStep(page: Page) {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Enter your authentication code" })).toBeVisible();
  await waitForHydration(page);
}

/** After two-factor is off, the password alone signs in again. */
async function passwordStepWithoutCode(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByText("You have been signed out.")).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
}

async function codeStep(page: Page, code: string) {
  await page.getByRole("textbox", { name: "Authentication code", exact: true }).fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
}

test("two-factor authentication: required by the organisation, enrolled, used at sign-in; sessions listed and signed out", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signUpAndVerify(page);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[1]!;

  // --- The owner requires two-factor for all members; opening the organisation now leads to enrolment ---
  await visit(page, `/${slug}/settings`);
  const security = page.getByRole("form", { name: "Security" });
  await security.getByLabel("Require two-factor authentication for all members").check();
  await security.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/account\?twoFactorFor=/);
  await page.goto(`/${slug}/team`);
  await expect(page).toHaveURL(new RegExp(`/account\\?twoFactorFor=${slug}`));
  await expect(page.getByText(`${orgName} requires two-factor authentication`)).toBeVisible();
  expect((await page.request.get(`/${slug}/audit/export`)).status()).toBe(403);
  await waitForHydration(page);
  await expectAccessible(page, "account, two-factor required");

  // --- Enrolment: QR code and key, confirm with a code computed from the key shown ---
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: "QR code that adds Nordlys AI Cloud to your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await waitForHydration(page);
  await expectAccessible(page, "enrolment");
  await page.getByRole("textbox", { name: "Authentication code", exact: true }).fill("000000" === totp(secret) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  await expect(page.getByText("That code is not correct or has already been used")).toBeVisible();
  await page.getByRole("textbox", { name: "Authentication code", exact: true }).fill(totp(secret));
  await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
  const codesList = page.getByRole("list", { name: "Recovery codes" });
  await expect(codesList.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = await codesList.getByRole("listitem").allInnerTexts();
  await expectAccessible(page, "recovery codes");
  await page.getByRole("link", { name: "I have saved my recovery codes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: orgName })).toBeVisible();

  // --- Sign out, then sign in with password and code: a wrong code is refused, a fresh one works ---
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByText("You have been signed out.")).toBeVisible();
  await passwordStep(page);
  await expectAccessible(page, "code step");
  await codeStep(page, "123456" === totp(secret, Date.now() + 30_000) ? "654321" : "123456");
  await expect(page.getByText("That code is not correct or has already been used").first()).toBeVisible();
  // The code of the next time step: accepted once (the enrolment used this step's code).
  const nextCode = totp(secret, Date.now() + 30_000);
  await codeStep(page, nextCode);
  await expect(page.getByRole("heading", { level: 1, name: orgName })).toBeVisible();

  // --- A second browser signs in with a recovery code; the same code never works twice ---
  const other = await newPage(browser);
  await passwordStep(other);
  await codeStep(other, recoveryCodes[0]!);
  await expect(other.getByRole("heading", { level: 1, name: orgName })).toBeVisible();

  // --- The sessions page lists both; signing out the other one ends it there ---
  await visit(page, "/account/sessions");
  await expect(page.getByRole("heading", { level: 1, name: "Active sessions" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Your active sessions" }).getByRole("row")).toHaveCount(3); // header + 2
  await expect(page.getByText("This session")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Password and authenticator code" })).toHaveCount(2);
  await page.getByRole("button", { name: /^Sign out \(/ }).click();
  await expect(page.getByRole("table", { name: "Your active sessions" }).getByRole("row")).toHaveCount(2);
  await expect(page.getByText("This is your only active session.")).toBeVisible();
  await expectAccessible(page, "sessions after sign-out");
  await other.goto(`/${slug}`);
  await expect(other).toHaveURL(/\/sign-in/);

  await passwordStep(other);
  await codeStep(other, recoveryCodes[0]!);
  await expect(other.getByText("That code is not correct or has already been used").first()).toBeVisible();
  await codeStep(other, recoveryCodes[1]!);
  await expect(other.getByRole("heading", { level: 1, name: orgName })).toBeVisible();

  // --- "Sign out all other sessions" keeps this one only ---
  await page.reload();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(page.getByText("This is your only active session.")).toBeVisible();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/sign-in/);

  // --- Clean up: the requirement off, then two-factor off (password and a recovery code) ---
  await visit(page, `/${slug}/settings`);
  await page.getByRole("form", { name: "Security" }).getByLabel("Require two-factor authentication for all members").uncheck();
  await page.getByRole("form", { name: "Security" }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Two-factor authentication is no longer required.")).toBeVisible();
  await visit(page, "/account");
  const disable = page.getByRole("form", { name: "Turn off two-factor authentication" });
  await disable.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await disable.getByLabel("Authentication code or recovery code").fill(recoveryCodes[2]!);
  await disable.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.getByRole("button", { name: "Set up two-factor authentication" })).toBeVisible();
  await passwordStepWithoutCode(page);
});
