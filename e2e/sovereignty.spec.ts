import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, linkFromMailbox, newPage, randomOrgNumber, signIn, visit, waitForHydration } from "./helpers";

// Helse Fjord must stay active for the other specs: this spec opens the deletion dialog but never sends it.
const ORG = "helse-fjord";

test("an owner sees where the data lives, the DPA and operator access, and downloads the export", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, `owner@${ORG}.example`, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();

  await page.getByRole("link", { name: "Sovereignty", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sovereignty" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "sovereignty");

  // Where each notebook and its storage are; the records in the portal database; the provider's regions.
  // (The seed's notebooks are deleted ones with usage history; specs before this one may have live ones.)
  const usageRegions = page.getByTestId("usage-regions");
  await expect(usageRegions).toContainText(/Oslo DC1 \(Ulven\)|Trondheim DC1 \(Sluppen\)/);
  await expect(usageRegions).toContainText("Norway");
  const resources = page.getByTestId("resource-locations");
  if (await resources.count()) await expect(resources).toContainText("Norway");
  else await expect(page.getByText("Your organisation has no notebooks.", { exact: false })).toBeVisible();
  await expect(page.getByTestId("record-locations")).toContainText("Norway (Oslo DC1, Ulven), backups in Trondheim DC1 (Sluppen)");
  // The accepted DPA version, who accepted it and from where.
  const dpa = page.getByTestId("dpa-acceptances");
  await expect(dpa).toContainText(/\d{4}-\d{2}/);
  await expect(dpa).toContainText("@helse-fjord.example");
  await expect(page.getByText("The current version of the agreement is", { exact: false })).toBeVisible();
  await expect(page.getByText("resident in Norway or elsewhere in the EU/EEA", { exact: false })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Operator access to your organisation" })).toBeVisible();

  // The export is a ZIP archive of real size.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-link").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^helse-fjord-export-\d{4}-\d{2}-\d{2}\.zip$/);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  expect(bytes.length).toBeGreaterThan(10_000);

  // The deletion dialog opens by keyboard, explains the retention rules, passes axe and closes with Escape.
  const trigger = page.getByRole("button", { name: "Request deletion of our data…" });
  await trigger.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Delete all of Helse Fjord HF's data?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("bokføringsloven § 13");
  await expect(dialog).toContainText("within 30 days");
  await expect(dialog.getByLabel("Reason (optional)")).toBeVisible();
  await expectAccessible(page, "deletion dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(trigger).toBeFocused();
  await expect(page.getByTestId("deletion-status")).not.toContainText("Deletion requested");
});

test("a viewer sees the page but cannot download the export or request deletion", async ({ page }) => {
  await signIn(page, `viewer@${ORG}.example`, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.goto(`/${ORG}/sovereignty`);
  await expect(page.getByRole("heading", { level: 1, name: "Sovereignty" })).toBeVisible();
  await expect(page.getByTestId("export-link")).toHaveCount(0);
  await expect(page.getByText("Owners and administrators can download the export.")).toBeVisible();
  await expect(page.getByText("Only the organisation's owners can request deletion.")).toBeVisible();
  const response = await page.request.get(`/${ORG}/sovereignty/export`);
  expect(response.status()).toBe(404);
});

// The deletion flow runs on a fresh organisation of its own (signed up here), never on a seeded one.
const stamp = Date.now().toString(36);
const ownerEmail = `deletion-${stamp}@e2e-deletion.no`;
const ownerPassword = "a deletion passphrase 2026";
const orgName = `E2E Sletting ${stamp}`;

async function signUpAndVerify(page: Page) {
  await visit(page, "/sign-up");
  await page.getByLabel("Organisation name").fill(orgName);
  await page.getByLabel("Organisation number").fill(randomOrgNumber());
  await page.getByLabel("Sector").selectOption("RESEARCH");
  await page.getByLabel("Billing address").fill("Storgata 1");
  await page.getByLabel("Postal code").fill("0155");
  await page.getByLabel("City").fill("Oslo");
  await page.getByLabel("Buyer reference (Deres ref.)").fill("E2E-DEL");
  await page.getByLabel("Full name").fill("Dina Sletter");
  await page.getByLabel("Work e-mail address").fill(ownerEmail);
  await page.getByRole("textbox", { name: "New password", exact: true }).fill(ownerPassword);
  await page.getByLabel(/I accept the data-processing agreement/).check();
  await page.getByRole("button", { name: "Register organisation" }).click();
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await visit(page, await linkFromMailbox(page, ownerEmail, /Confirm your e-mail address/));
  await page.getByRole("button", { name: "Confirm e-mail address" }).click();
  await expect(page.getByText("Your e-mail address is confirmed")).toBeVisible();
}

test("an owner requests deletion; an operator approves it (suspension) and marks it completed", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signUpAndVerify(page);
  await signIn(page, ownerEmail, ownerPassword);
  await expect(page.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
  await page.getByRole("link", { name: "Sovereignty", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sovereignty" })).toBeVisible();
  await waitForHydration(page);
  // The DPA accepted at sign-up is on record.
  await expect(page.getByTestId("dpa-acceptances")).toContainText(ownerEmail);

  await page.getByRole("button", { name: "Request deletion of our data…" }).click();
  const dialog = page.getByRole("dialog", { name: `Delete all of ${orgName}'s data?` });
  await dialog.getByLabel("Reason (optional)").fill("The pilot has ended.");
  await dialog.getByRole("button", { name: "Request deletion", exact: true }).click();
  await expect(page.getByTestId("deletion-status")).toContainText("Deletion requested");
  await expect(page.getByTestId("deletion-requests")).toContainText("The pilot has ended.");
  await expectAccessible(page, "deletion requested");

  const operator = await newPage(browser);
  await signIn(operator, "operator@nordlys.example", DEMO_PASSWORD);
  await expect(operator.getByRole("heading", { level: 1, name: "Operators' console" })).toBeVisible();
  await operator.getByRole("link", { name: "Deletion requests", exact: true }).click();
  await expect(operator.getByRole("heading", { level: 1, name: "Deletion requests" })).toBeVisible();
  await waitForHydration(operator);
  await expectAccessible(operator, "operator deletions");
  await expect(operator.getByText("Approving does not delete anything by itself")).toBeVisible();
  const row = operator.getByTestId("deletion-requests").locator("tbody tr", { hasText: orgName });
  await expect(row).toContainText("Awaiting the provider");
  await row.getByRole("button", { name: "Approve…" }).click();
  const approve = operator.getByRole("dialog", { name: `Approve the deletion of ${orgName}'s data?` });
  await approve.getByLabel("Note (optional)").fill("Confirmed with the owner.");
  await expectAccessible(operator, "approve dialog");
  await approve.getByRole("button", { name: "Approve and suspend" }).click();
  await expect(row).toContainText("Approved, deletion pending");
  await expect(row).toContainText("Confirmed with the owner.");

  // The owner sees the approval and the suspension; the operator's steps are listed as operator access.
  await page.reload();
  await expect(page.getByTestId("deletion-status")).toContainText("Deletion approved");
  await expect(page.getByText("Suspended", { exact: false }).first()).toBeVisible();
  await expect(page.getByTestId("operator-access")).toContainText("operator.deletion_approved");
  await expect(page.getByTestId("operator-access")).toContainText("operator:operator@nordlys.example");
  await expectAccessible(page, "deletion approved");

  await waitForHydration(operator);
  await row.getByRole("button", { name: "Mark completed…" }).click();
  const complete = operator.getByRole("dialog", { name: `Mark the deletion of ${orgName}'s data as completed?` });
  await complete.getByRole("button", { name: "Mark completed" }).click();
  // Completed requests leave the open list.
  await expect(operator.getByTestId("deletion-requests").locator("tbody tr", { hasText: orgName })).toHaveCount(0);
  await operator.getByLabel("Show").selectOption("COMPLETED");
  await operator.getByRole("button", { name: "Filter" }).click();
  await expect(operator.getByTestId("deletion-requests").locator("tbody tr", { hasText: orgName })).toContainText("Deleted");
  await operator.context().close();

  await page.reload();
  await expect(page.getByTestId("deletion-requests")).toContainText("Deleted");
});
