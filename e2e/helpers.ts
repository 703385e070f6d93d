import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

/** Fails the test with the list of WCAG 2.1 A/AA violations on the current page. */
export async function expectAccessible(page: Page, context = "") {
  // Next streams metadata: the <title> can arrive just after the body, so wait for it before judging.
  await page.waitForFunction(() => document.title.trim().length > 0, undefined, { timeout: 10_000 }).catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations ${context} on ${page.url()}`).toEqual([]);
}

/** Waits until React has hydrated the page's forms, so clicks run the client handlers. */
export async function waitForHydration(page: Page) {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => {
    const forms = Array.from(document.querySelectorAll("form"));
    if (forms.length === 0) return true;
    return forms.every((f) => Object.keys(f).some((k) => k.startsWith("__react")));
  });
}

/** Opens a page, waits for hydration and runs axe on it. */
export async function visit(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
  await expectAccessible(page);
}

/** A random organisation number with a valid MOD11 check digit. */
export function randomOrgNumber(): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const digits = [9, ...Array.from({ length: 7 }, () => Math.floor(Math.random() * 10))];
    const sum = digits.reduce((acc, d, i) => acc + d * weights[i]!, 0);
    let check = 11 - (sum % 11);
    if (check === 11) check = 0;
    if (check === 10) continue;
    return [...digits, check].join("");
  }
}

/** Opens the newest message to `to` in the development mailbox and returns the first link in it. */
export async function linkFromMailbox(page: Page, to: string, subject: RegExp): Promise<string> {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(to)}`);
  await page.getByRole("link", { name: subject }).first().click();
  const href = await page.locator("article a").first().getAttribute("href");
  expect(href).toBeTruthy();
  const url = new URL(href!);
  return `${url.pathname}${url.search}`;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await waitForHydration(page);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function newPage(browser: Browser) {
  const context = await browser.newContext({ locale: "en-GB" });
  return context.newPage();
}

export const DEMO_PASSWORD = "Nordlys-demo-2026";
