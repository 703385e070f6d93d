import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, expectAccessible, newPage, signIn, waitForHydration } from "./helpers";

test("joint innovation: a data scientist submits a request, an operator accepts it with a comment and a credit, the customer sees both", async ({ browser }) => {
  test.setTimeout(180_000);
  const title = `Referral triage ${Date.now().toString(36)}`;

  // The customer: from the navigation to a new request, by keyboard where it matters.
  const page = await newPage(browser);
  await signIn(page, "scientist@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Joint innovation" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Joint innovation" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "innovation list");
  await page.getByRole("link", { name: "New request" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New joint-innovation request" })).toBeVisible();
  await waitForHydration(page);
  await expectAccessible(page, "new request form");

  // Submitting an empty form explains each missing field next to it.
  const form = page.getByRole("form", { name: "Joint-innovation request" });
  await form.getByRole("button", { name: "Submit request" }).click();
  await expect(form.getByRole("alert")).toHaveText("Some fields need your attention.");
  const titleField = form.getByRole("textbox", { name: /^Title/ });
  await expect(titleField).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Choose how sensitive the data is.")).toBeVisible();
  await expect(form.getByText("Name at least one contact.")).toBeVisible();
  await expectAccessible(page, "request form with errors");

  await titleField.fill(title);
  await form.getByRole("textbox", { name: /^The problem/ }).fill("Radiology referrals wait weeks before anyone triages them.");
  await form.getByRole("textbox", { name: /^Intended outcome/ }).fill("A model that ranks referrals by urgency, checked by radiologists.");
  // The sensitivity is chosen by keyboard: focus the first option, arrow to the last.
  await form.getByRole("radio", { name: "Open" }).focus();
  await page.keyboard.press("Space");
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
  await expect(form.getByRole("radio", { name: "Restricted / personal data" })).toBeChecked();
  await form.getByRole("combobox", { name: /^GPU shape/ }).selectOption("h100-1x");
  await form.getByRole("textbox", { name: /^How many at the same time/ }).fill("2");
  await form.getByRole("textbox", { name: /^Duration/ }).fill("500");
  await form.getByRole("combobox", { name: "Unit" }).selectOption("HOURS");
  await form.getByLabel(/^Start date/).fill("2027-01-04");
  await form.getByLabel(/^End date/).fill("2027-06-30");
  const contact = form.getByRole("group", { name: "Contact 1" });
  await contact.getByRole("textbox", { name: "Name" }).fill("Sara Haugen");
  await contact.getByRole("textbox", { name: "E-mail address" }).fill("scientist@helse-fjord.example");
  await contact.getByRole("textbox", { name: "Role" }).fill("Project lead");

  // Saved as a draft first: only the organisation sees it.
  await form.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByText("Draft saved. Submit it when it is complete.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("innovation-status")).toHaveText("Draft");
  await waitForHydration(page);
  await expectAccessible(page, "draft detail");
  const requestUrl = new URL(page.url());
  const requestPath = requestUrl.pathname;
  const requestId = requestPath.split("/").pop()!;

  await page.getByRole("form", { name: "Joint-innovation request" }).getByRole("button", { name: "Submit request" }).click();
  await expect(page.getByText(/Your request has been submitted/)).toBeVisible();
  await expect(page.getByTestId("innovation-status")).toHaveText("Submitted");
  await expect(page.getByTestId("innovation-timeline")).toContainText("Submitted");
  await waitForHydration(page);
  await expectAccessible(page, "submitted detail");

  // The operator works the queue.
  const op = await newPage(browser);
  await signIn(op, "operator@nordlys.example", DEMO_PASSWORD);
  await expect(op.getByRole("heading", { level: 1, name: "Operators' console" })).toBeVisible();
  await op.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Innovation queue" }).click();
  await expect(op.getByRole("heading", { level: 1, name: "Innovation queue" })).toBeVisible();
  await op.getByLabel("Assigned to").selectOption("unassigned");
  await op.getByRole("button", { name: "Show" }).click();
  await expect(op).toHaveURL(/assigned=unassigned/);
  await expectAccessible(op, "innovation queue");
  const row = op.getByTestId("innovation-queue").getByRole("row").filter({ hasText: title });
  await expect(row).toContainText("Helse Fjord HF");
  await expect(row).toContainText("Submitted");
  await row.getByRole("link", { name: title }).click();
  await expect(op.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await waitForHydration(op);
  await expectAccessible(op, "operator request detail");

  const assign = op.getByRole("form", { name: "Assign the request" });
  await assign.getByRole("button", { name: "Assign" }).click();
  await expect(assign.getByRole("status")).toHaveText("Assigned to Silje Drift.");

  const statusForm = op.getByRole("form", { name: "Change the status" });
  await statusForm.getByRole("button", { name: "Change status" }).click();
  await expect(op.getByTestId("innovation-status")).toHaveText("In review");

  const commentForm = op.getByRole("form", { name: "Write a comment to the customer" });
  await commentForm.getByRole("textbox", { name: /^Comment to the customer/ }).fill("Welcome aboard: we can start in January.");
  await commentForm.getByRole("button", { name: "Post comment" }).click();
  await expect(op.getByTestId("innovation-comments")).toContainText("Welcome aboard: we can start in January.");

  // A decline without a reason is refused next to the field; then it is accepted with a credit.
  await waitForHydration(op);
  await statusForm.getByRole("combobox", { name: /^New status/ }).selectOption("DECLINED");
  await statusForm.getByRole("button", { name: "Change status" }).click();
  await expect(statusForm.getByText(/Give the reason for declining/)).toBeVisible();
  await expectAccessible(op, "status form with an error");
  await statusForm.getByRole("combobox", { name: /^New status/ }).selectOption("ACCEPTED");
  await statusForm.getByRole("textbox", { name: /^Note to the customer/ }).fill("Accepted for the 2027 programme.");
  await statusForm.getByRole("textbox", { name: /^Amount in NOK/ }).fill("50 000");
  await statusForm.getByLabel("Last valid day").fill("2027-12-31");
  await statusForm.getByRole("button", { name: "Change status" }).click();
  await expect(op.getByTestId("innovation-status")).toHaveText("Accepted");
  await expect(op.getByTestId("innovation-credit")).toContainText("NOK 50,000.00");
  await waitForHydration(op);
  await expectAccessible(op, "operator request accepted");
  await op.context().close();

  // The customer sees the status, the comment, the note and the agreed credit.
  await page.goto(requestPath);
  await expect(page.getByTestId("innovation-status")).toHaveText("Accepted");
  await expect(page.getByTestId("innovation-comments")).toContainText("Welcome aboard: we can start in January.");
  await expect(page.getByTestId("innovation-timeline")).toContainText("Accepted for the 2027 programme.");
  await expect(page.getByTestId("innovation-credit")).toContainText("NOK 50,000.00");
  await waitForHydration(page);
  await expectAccessible(page, "accepted request as the customer");
  await page.goto("/helse-fjord/innovation");
  await expect(page.getByTestId("innovation-list").getByRole("row").filter({ hasText: title })).toContainText("Accepted");

  // Told by e-mail, with a link back to the request.
  await page.goto(`/dev/mailbox?to=${encodeURIComponent("scientist@helse-fjord.example")}`);
  await expect(page.getByRole("link", { name: `“${title}” is now: Accepted` }).first()).toBeVisible();

  // Nobody else gets in: another organisation's member, and customers in the console.
  const outsider = await newPage(browser);
  await signIn(outsider, "owner@nordvik-robotics.example", DEMO_PASSWORD);
  await expect(outsider.getByRole("heading", { level: 1, name: "Nordvik Robotics AS" })).toBeVisible();
  expect((await outsider.goto(`/nordvik-robotics/innovation/${requestId}`))?.status()).toBe(404);
  expect((await outsider.goto(requestPath))?.status()).toBe(404);
  expect((await outsider.goto(`/operator/innovation/${requestId}`))?.status()).toBe(404);
  await outsider.context().close();
  await page.context().close();
});

test("joint innovation: viewers read requests but get no form to change them", async ({ page }) => {
  await signIn(page, "viewer@helse-fjord.example", DEMO_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Helse Fjord HF" })).toBeVisible();
  await page.goto("/helse-fjord/innovation");
  await expect(page.getByRole("heading", { level: 1, name: "Joint innovation" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New request" })).toHaveCount(0);
  expect((await page.goto("/helse-fjord/innovation/new"))?.status()).toBe(404);
});
