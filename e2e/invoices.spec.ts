import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, newPage, signIn, waitForHydration } from "./helpers";

// The seed's month close gives Helse Fjord finalised invoices for past months: the latest awaiting
// approval, the older ones approved by its procurement officer.
const ORG = "helse-fjord";

async function openInvoices(page: Page) {
  await page.getByRole("link", { name: "Invoices", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Invoices" })).toBeVisible();
  await waitForHydration(page);
}

/** The id of a finalised invoice (drafts have no downloads), read from the list by someone who may see it. */
async function finalisedInvoiceId(page: Page): Promise<string> {
  await page.goto(`/${ORG}/invoices`);
  const href = await page.getByTestId("invoice-list").locator("tbody tr").filter({ hasNotText: "Draft" }).first().locator("th a").getAttribute("href");
  expect(href).toMatch(new RegExp(`^/${ORG}/invoices/[^/]+$`));
  return href!.split("/").pop()!;
}

test("procurement reconciles an invoice with the usage, approves it and downloads PDF and EHF", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, `procurement@${ORG}.example`, DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();

  await openInvoices(page);
  await expectAccessible(page, "invoice list");
  const list = page.getByTestId("invoice-list");
  await expect(list.getByText("Approved").first()).toBeVisible();
  const row = list.locator("tbody tr", { hasText: "Awaiting approval" }).first();
  const number = (await row.locator("th a").innerText()).trim();
  expect(number).toMatch(/^\d{4}-\d{6}$/);
  await row.locator("th a").click();

  await expect(page.getByRole("heading", { level: 1, name: `Invoice ${number}` })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "invoice awaiting approval");
  await expect(page.getByTestId("invoice-status")).toHaveText("Awaiting approval");
  await expect(page.getByTestId("approval-count")).toHaveText("0 of 1 approvals");
  await expect(page.getByText("SHA-256 of the issued document", { exact: false })).toBeVisible();

  // The per-workbench breakdown opens by keyboard and ends with the line amount.
  const line = page.getByTestId("invoice-lines").locator("tbody tr", { has: page.getByTestId("line-usage-link") }).first();
  const lineAmount = (await line.getByTestId("line-amount").innerText()).trim();
  const lineId = (await line.getAttribute("data-testid"))!;
  const breakdown = page.getByTestId(`${lineId}-breakdown`);
  await breakdown.locator("summary").focus();
  await page.keyboard.press("Enter");
  await expect(breakdown.getByRole("table")).toBeVisible();
  await expect(breakdown.getByRole("row", { name: /Line amount/ })).toContainText(lineAmount);

  // Drill down: the usage dashboard with the line's filters shows the line amount as its cost.
  await line.getByTestId("line-usage-link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Usage & carbon" })).toBeVisible();
  await expect(page).toHaveURL(/from=\d{4}-\d{2}-01&to=\d{4}-\d{2}-\d{2}&shape=[^&]+&project=/);
  const cost = (await page.getByTestId("usage-totals").locator("div", { hasText: "Cost" }).locator("dd").first().innerText()).trim();
  expect(cost).toBe(lineAmount);

  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: `Invoice ${number}` })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole("button", { name: "Approve invoice" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The invoice is approved." })).toBeVisible();
  await expect(page.getByTestId("invoice-status")).toHaveText("Approved");
  await expect(page.getByTestId("approval-count")).toHaveText("1 of 1 approvals");
  await expect(page.getByText(/Approved by Per Olsen/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve invoice" })).toHaveCount(0);
  await expectAccessible(page, "approved invoice");

  const [pdf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download PDF" }).click()]);
  expect(pdf.suggestedFilename()).toBe(`invoice-${number}.pdf`);
  const pdfBytes = await readFile((await pdf.path())!);
  expect(pdfBytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
  expect(pdfBytes.length).toBeGreaterThan(2048);

  const [ehf] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download EHF (XML)" }).click()]);
  expect(ehf.suggestedFilename()).toBe(`invoice-${number}-ehf.xml`);
  const xml = await readFile((await ehf.path())!, "utf8");
  expect(xml).toContain("<Invoice");
  expect(xml).toContain(`<cbc:ID>${number}</cbc:ID>`);

  const response = await page.request.get(`/${ORG}/invoices/${page.url().split("/").pop()}/pdf`);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["cache-control"]).toBe("private, no-store");

  await page.getByRole("link", { name: "All invoices" }).click();
  await expect(page.getByTestId(`invoice-${number}`)).toContainText("Approved");
});

test("invoices are hidden from data scientists, other organisations and signed-out requests", async ({ browser }) => {
  test.setTimeout(120_000);
  const officer = await newPage(browser);
  await signIn(officer, `procurement@${ORG}.example`, DEMO_PASSWORD);
  await expect(officer.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  const id = await finalisedInvoiceId(officer);
  expect((await officer.request.get(`/${ORG}/invoices/${id}/pdf`)).status()).toBe(200);
  expect((await officer.request.get(`/${ORG}/invoices/no-such-invoice/pdf`)).status()).toBe(404);
  expect((await officer.request.get(`/${ORG}/invoices/no-such-invoice/ehf`)).status()).toBe(404);
  expect((await officer.goto(`/${ORG}/invoices/no-such-invoice`))!.status()).toBe(404);

  const scientist = await newPage(browser);
  await signIn(scientist, `scientist@${ORG}.example`, DEMO_PASSWORD);
  await expect(scientist.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await expect(scientist.getByRole("link", { name: "Usage & carbon", exact: true })).toBeVisible();
  await expect(scientist.getByRole("link", { name: "Invoices", exact: true })).toHaveCount(0);
  expect((await scientist.goto(`/${ORG}/invoices`))!.status()).toBe(404);
  expect((await scientist.goto(`/${ORG}/invoices/${id}`))!.status()).toBe(404);
  expect((await scientist.request.get(`/${ORG}/invoices/${id}/pdf`)).status()).toBe(404);
  expect((await scientist.request.get(`/${ORG}/invoices/${id}/ehf`)).status()).toBe(404);

  // Another organisation's owner: not under its own slug, not under Helse Fjord's.
  const other = await newPage(browser);
  await signIn(other, "owner@nordvik-robotics.example", DEMO_PASSWORD);
  await expect(other.getByRole("heading", { level: 1, name: "Nordvik Robotics AS" })).toBeVisible();
  expect((await other.goto(`/nordvik-robotics/invoices/${id}`))!.status()).toBe(404);
  expect((await other.request.get(`/nordvik-robotics/invoices/${id}/pdf`)).status()).toBe(404);
  expect((await other.request.get(`/${ORG}/invoices/${id}/pdf`)).status()).toBe(404);

  const anonymous = await newPage(browser);
  expect((await anonymous.request.get(`/${ORG}/invoices/${id}/pdf`)).status()).toBe(401);
});

test("downloads are in the audit log", async ({ browser }) => {
  const officer = await newPage(browser);
  await signIn(officer, `procurement@${ORG}.example`, DEMO_PASSWORD);
  await expect(officer.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  const id = await finalisedInvoiceId(officer);
  expect((await officer.request.get(`/${ORG}/invoices/${id}/ehf`)).status()).toBe(200);

  const owner = await newPage(browser);
  await signIn(owner, `owner@${ORG}.example`, DEMO_PASSWORD);
  await expect(owner.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await owner.goto(`/${ORG}/audit?action=invoice.downloaded`);
  await expect(owner.getByRole("cell", { name: "invoice.downloaded" }).first()).toBeVisible();
  await expect(owner.getByText(/"format":\s*"ehf"/).first()).toBeVisible();
});
