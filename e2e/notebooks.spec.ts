import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, signIn, waitForHydration } from "./helpers";

test("a data scientist compares shapes, launches a notebook, watches it run, stops and deletes it", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "scientist@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();

  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "GPU shapes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "GPU shapes" })).toBeVisible();
  const h100 = page.getByTestId("shape-h100-1x");
  await expect(h100).toContainText("NOK 39.00 / hour");
  await expect(h100).toContainText("Oslo");
  await expect(h100).toContainText("g CO2e");
  await expectAccessible(page, "shapes");

  await h100.getByRole("link", { name: /Launch/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New notebook" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "launch form");
  const name = `E2E run ${Date.now().toString(36)}`;
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await expect(page.getByTestId("summary-price")).toHaveText("NOK 39.00 / hour");
  await expect(page.getByTestId("summary-carbon")).toContainText("g");
  await page.getByRole("button", { name: /Launch notebook/ }).click();

  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("status").getByText("Running")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole("link", { name: "Open" })).toBeVisible();
  await expect(page.getByTestId("event-log")).toContainText(/running/i);
  await waitForHydration(page);
  await expectAccessible(page, "running notebook");

  await page.getByRole("button", { name: "Stop", exact: true }).click();
  const stopDialog = page.getByRole("dialog", { name: `Stop ${name}?` });
  await stopDialog.getByRole("button", { name: "Stop" }).click();
  await expect(page.getByRole("status").getByText("Stopped")).toBeVisible({ timeout: 60_000 });

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("dialog", { name: `Delete ${name}?` }).getByRole("button", { name: "Delete" }).click();
  await page.goto("/helse-fjord/notebooks");
  await expect(page.getByTestId(`notebook-${name}`)).toHaveCount(0, { timeout: 30_000 });
  await expectAccessible(page, "notebook list");
});

test("a viewer sees notebooks but cannot launch", async ({ page }) => {
  await signIn(page, "viewer@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.goto("/helse-fjord/notebooks");
  await expect(page.getByRole("heading", { level: 1, name: "Notebooks" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New notebook" })).toHaveCount(0);
  await expectAccessible(page, "viewer notebooks");
  await page.goto("/helse-fjord/notebooks/new");
  await expect(page.getByText("Your role can see notebooks but not launch them.")).toBeVisible();
  await page.goto("/helse-fjord/shapes");
  await expect(page.getByRole("link", { name: /Launch/ })).toHaveCount(0);
});
