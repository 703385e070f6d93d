import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, signIn, waitForHydration } from "./helpers";

test("an operator sees capacity per region and node pool, and GPUs held per organisation", async ({ page }) => {
  await signIn(page, "operator@nordlys.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Operators' console" })).toBeVisible();
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Capacity" }).first().click();
  await expect(page).toHaveURL(/\/operator\/capacity$/);
  await expect(page.getByRole("heading", { level: 1, name: "Capacity" })).toBeVisible();
  await waitForHydration(page);

  // Both regions with their sites, and each pool with its utilisation in words.
  await expect(page.getByRole("heading", { level: 2, name: "Oslo" })).toBeVisible();
  await expect(page.getByText("Oslo DC1 (Ulven)")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Trondheim" })).toBeVisible();
  const osloH100 = page.getByTestId("pool-no-osl-1-h100");
  await expect(osloH100.getByRole("rowheader")).toContainText("NVIDIA H100 SXM 80GB");
  await expect(osloH100).toContainText(/\d+ of 32 GPUs · \d+% used/);
  await expect(page.getByTestId("pool-no-osl-1-h100-mig-1g10gb")).toContainText(/of 32 MIG slices/);

  // The portal's own view: the seeded organisations, most GPUs first.
  const orgs = page.getByRole("table", { name: /GPUs held per organisation/ });
  await expect(orgs.getByRole("row", { name: /Helse Fjord HF/ })).toContainText(/of \d+ GPUs/);
  await expectAccessible(page, "operator capacity");
});

test("customers cannot open the capacity page", async ({ page }) => {
  await signIn(page, "owner@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  const response = await page.goto("/operator/capacity");
  expect(response?.status()).toBe(404);
});
