import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, signIn, waitForHydration } from "./helpers";

const nok = (text: string) => Number(text.replace(/[^0-9.]/g, ""));

async function launch(page: Page, name: string) {
  await page.goto("/helse-fjord/notebooks/new?shape=h100-mig-1g10gb");
  await waitForHydration(page);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByRole("button", { name: /Launch notebook/ }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("status").getByText("Running")).toBeVisible({ timeout: 90_000 });
}

test("usage & carbon: seeded history, filters and exports that match the page, live figures that grow", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "scientist@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  const name = `Usage watch ${Date.now().toString(36)}`;
  await launch(page, name);

  await page.goto("/helse-fjord/usage");
  await expect(page.getByRole("heading", { level: 1, name: "Usage & carbon" })).toBeVisible();
  const totals = page.getByTestId("usage-totals");
  await expect(totals).toContainText("GPU-hours");
  await expect(totals).toContainText("CO2e, market-based");
  await expect(page.getByText(/Figures from Factors 2026\.2/)).toBeVisible();
  await expect(page.getByTestId("usage-workbenches")).toContainText("Radiology segmentation");
  await waitForHydration(page);
  await expectAccessible(page, "usage");

  // The running notebook's measured energy grows while we watch.
  const row = page.getByTestId(`notebook-${name}`);
  await expect(row).toBeVisible();
  const first = await row.locator("td").nth(4).innerText();
  await expect.poll(async () => row.locator("td").nth(4).innerText(), { timeout: 60_000, intervals: [2000] }).not.toBe(first);

  // Filter by project; the export with the same filters matches the page.
  await page.getByLabel("Project").selectOption("Radiology AI");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/project=Radiology\+AI/);
  const workbenches = page.getByTestId("usage-workbenches");
  await expect(workbenches).toContainText("Radiology segmentation");
  await expect(workbenches).not.toContainText("Clinical notes NLP");
  const costOnPage = nok(await totals.locator("div", { hasText: "Cost" }).locator("dd").first().innerText());
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await (await page.request.get(csvHref!)).text();
  const totalLine = csv.split("\n").find((l) => l.startsWith("total,"))!;
  expect(Number(totalLine.split(",")[4])).toBeCloseTo(costOnPage, 2);
  const jsonHref = await page.getByRole("link", { name: "Export JSON" }).getAttribute("href");
  const json = (await (await page.request.get(jsonHref!)).json()) as { totals: { costOre: number }; workbenches: Array<{ project: string }> };
  expect(json.totals.costOre / 100).toBeCloseTo(costOnPage, 2);
  expect(json.workbenches.every((w) => w.project === "Radiology AI")).toBe(true);

  const statement = await page.request.get(`/helse-fjord/usage/statement?year=${new Date().getUTCFullYear()}&format=csv`);
  expect(statement.status()).toBe(200);
  const statementText = await statement.text();
  expect(statementText).toContain("co2e_location_based");
  expect(statementText).toContain("grid.residual_mix.NO");

  await page.goto("/methodology");
  await expect(page.getByRole("heading", { level: 1, name: "How we calculate energy and emissions" })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "pue.site" })).toBeVisible();
  await expectAccessible(page, "methodology");

  // Clean up: delete the notebook.
  await page.goto("/helse-fjord/notebooks");
  await page.getByRole("link", { name, exact: true }).click();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("dialog", { name: `Delete ${name}?` }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("status").getByText(/Deleting|Deleted/)).toBeVisible({ timeout: 30_000 });
});
