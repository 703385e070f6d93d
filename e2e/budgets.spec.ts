import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, newPage, signIn, waitForHydration } from "./helpers";

test("budgets: procurement sets an organisation and a project budget by keyboard; data scientists see no Budgets area", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await newPage(browser);
  await signIn(page, "procurement@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Budgets" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Budgets" })).toBeVisible();
  await expect(page.getByText("No budgets yet.")).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "budgets, empty");

  // A bad amount is explained next to the field, and nothing is saved.
  const orgForm = page.getByRole("form", { name: "Budget for the whole organisation" });
  const orgAmount = orgForm.getByRole("textbox", { name: /Monthly budget/ });
  await orgAmount.fill("12,345");
  await orgForm.getByRole("button", { name: "Save budget" }).click();
  await expect(orgForm.getByText("Use at most two decimals (øre).")).toBeVisible();
  await expect(orgAmount).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "budgets, amount error");

  // The organisation's budget, entered and submitted by keyboard only.
  await orgAmount.fill("");
  await orgAmount.focus();
  await page.keyboard.type("9 876 543,21");
  await page.keyboard.press("Enter");
  await expect(orgForm.getByRole("status")).toHaveText("Budget saved.");
  const orgRow = page.getByTestId("budget-org");
  await expect(orgRow.getByRole("rowheader")).toHaveText("Whole organisation");
  await expect(orgRow).toContainText("NOK 9,876,543.21");
  await expect(orgRow).toContainText("% used");
  await expect(orgRow).toContainText("Off: alerts only");

  // A project budget with a hard stop, chosen from the organisation's projects.
  const projectForm = page.getByRole("form", { name: "Budget for a project" });
  await projectForm.getByRole("combobox", { name: "Project" }).selectOption("Journal NLP");
  await projectForm.getByRole("textbox", { name: /Monthly budget/ }).fill("1");
  await projectForm.getByRole("checkbox", { name: /Hard stop/ }).check();
  await projectForm.getByRole("button", { name: "Save budget" }).click();
  await expect(projectForm.getByRole("status")).toHaveText("Budget saved.");
  const projectRow = page.getByTestId("budget-Journal NLP");
  await expect(projectRow.getByRole("rowheader")).toHaveText("Project: Journal NLP");
  await expect(projectRow).toContainText("NOK 1.00");
  await expect(projectRow).toContainText("On: blocks new launches");
  await waitForHydration(page);
  await expectAccessible(page, "budgets with two budgets");
  // The seeded history has spend in this month unless the month has only just begun.
  const blocked = (await projectRow.textContent())?.includes("Launches blocked") ?? false;

  // A data scientist: no Budgets area, but told when a hard stop blocks launches.
  const scientist = await newPage(browser);
  await signIn(scientist, "scientist@helse-fjord.example", DEMO_PASSWORD);
  await expect(scientist.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await expect(scientist.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Notebooks" })).toBeVisible();
  await expect(scientist.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Budgets" })).toHaveCount(0);
  if (blocked) {
    const banner = scientist.getByTestId("budget-banner");
    await expect(banner).toContainText("New launches are blocked");
    await expect(banner).toContainText("Project: Journal NLP");
    await expect(banner.getByRole("link", { name: "Open budgets" })).toHaveCount(0);
  }
  await expectAccessible(scientist, "overview as a data scientist");
  expect((await scientist.goto("/helse-fjord/budgets"))?.status()).toBe(404);
  await scientist.context().close();

  // Clean up by keyboard: delete both budgets through the confirmation dialog.
  for (const name of ["Delete Project: Journal NLP", "Delete Whole organisation"]) {
    await waitForHydration(page);
    await page.getByRole("button", { name }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await expectAccessible(page, "delete dialog");
    await dialog.getByRole("button", { name: "Delete" }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name })).toHaveCount(0);
  }
  await expect(page.getByText("No budgets yet.")).toBeVisible();
  await page.context().close();
});
