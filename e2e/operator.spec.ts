import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, newPage, signIn, waitForHydration } from "./helpers";

test("an operator approves a pending organisation, which can then launch; the owner sees the operator's action", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "operator@nordlys.example", DEMO_PASSWORD);
  // Provider staff without an organisation land in the console.
  await expect(page.getByRole("heading", { level: 1, name: "Operators' console" })).toBeVisible();
  await expectAccessible(page, "operator overview");

  await page.getByRole("link", { name: /^Open: Organisations awaiting approval/ }).click();
  await expect(page).toHaveURL(/\/operator\/organisations\?status=PENDING_APPROVAL/);
  await page.getByRole("combobox", { name: "Status" }).selectOption("PENDING_APPROVAL");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/status=PENDING_APPROVAL/);
  await expectAccessible(page, "operator organisations");
  await page.getByRole("link", { name: "Kystdata Analyse" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Kystdata Analyse" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "operator organisation");
  const decision = page.getByRole("form", { name: "Decision" });
  await decision.getByLabel("Action").selectOption("approve");
  await decision.getByRole("button", { name: "Apply" }).click();
  await expect(decision.getByRole("status")).toContainText("status has been changed");

  for (const [path, heading] of [["/operator/billing", "Billing desk"], ["/operator/catalogue", "Catalogue and carbon factors"]] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await waitForHydration(page);
    await expectAccessible(page, path);
  }

  // The organisation's owner can now launch, and sees the approval in the audit log.
  const owner = await newPage(browser);
  await signIn(owner, "owner@kystdata.example", DEMO_PASSWORD);
  await expect(owner.getByRole("heading", { level: 1, name: "Kystdata Analyse" })).toBeVisible();
  await owner.goto("/kystverket-analyse/notebooks/new?shape=cpu-8");
  await waitForHydration(owner);
  await owner.getByRole("textbox", { name: "Name", exact: true }).fill("First analysis");
  await owner.getByRole("button", { name: /Launch notebook/ }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "First analysis" })).toBeVisible();
  await owner.goto("/kystverket-analyse/audit");
  await expect(owner.getByRole("cell", { name: "operator.org_approved", exact: true }).first()).toBeVisible();
  await expect(owner.getByRole("cell", { name: "operator:operator@nordlys.example", exact: true }).first()).toBeVisible();
  await owner.context().close();
});

test("customers cannot open the operators' console", async ({ page }) => {
  await signIn(page, "owner@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  for (const path of ["/operator", "/operator/organisations", "/operator/catalogue"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
  }
  await expect(page.getByRole("link", { name: "Operators' console" })).toHaveCount(0);
});
