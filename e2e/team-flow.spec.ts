import { expect, test } from "@playwright/test";
import { expectAccessible, linkFromMailbox, newPage, randomOrgNumber, visit, waitForHydration } from "./helpers";

test("sign up, verify, sign in, invite a colleague who accepts, change their role, remove them", async ({ browser }) => {
  const stamp = Date.now().toString(36);
  const ownerEmail = `owner-${stamp}@e2e-helse.no`;
  const colleagueEmail = `colleague-${stamp}@e2e-helse.no`;
  const password = "a sturdy passphrase 2026";
  const orgName = `E2E Helse ${stamp}`;

  // --- Sign-up ---
  const owner = await newPage(browser);
  await visit(owner, "/sign-up");
  await owner.getByLabel("Organisation name").fill(orgName);
  await owner.getByLabel("Organisation number").fill("923609017");
  await owner.getByLabel("Sector").selectOption("HEALTH");
  await owner.getByLabel("Billing address").fill("Sjukehusvegen 1");
  await owner.getByLabel("Postal code").fill("5021");
  await owner.getByLabel("City").fill("Bergen");
  await owner.getByLabel("Buyer reference (Deres ref.)").fill("E2E-REF");
  await owner.getByLabel("Full name").fill("Eva Eier");
  await owner.getByLabel("Work e-mail address").fill(ownerEmail);
  await owner.getByRole("textbox", { name: "New password", exact: true }).fill(password);
  await owner.getByRole("button", { name: "Register organisation" }).click();
  // A wrong check digit and a missing DPA acceptance are explained next to their fields.
  await expect(owner.getByText("This is not a valid organisation number")).toBeVisible();
  await expect(owner.getByText("You must accept the data-processing agreement")).toBeVisible();
  await expect(owner.getByLabel("Organisation name")).toHaveValue(orgName);
  await expectAccessible(owner, "sign-up with errors");
  await owner.getByLabel("Organisation number").fill(randomOrgNumber());
  await owner.getByRole("textbox", { name: "New password", exact: true }).fill(password);
  await owner.getByLabel(/I accept the data-processing agreement/).check();
  await owner.getByRole("button", { name: "Register organisation" }).click();
  await expect(owner.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await expectAccessible(owner, "check e-mail");

  // --- Unverified sign-in is refused with guidance; then verify through the mailbox ---
  await owner.goto("/sign-in");
  await waitForHydration(owner);
  await owner.getByLabel("E-mail address").fill(ownerEmail);
  await owner.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await owner.getByRole("button", { name: "Sign in" }).click();
  await expect(owner.getByText("Confirm your e-mail address first")).toBeVisible();

  const verifyLink = await linkFromMailbox(owner, ownerEmail, /Confirm your e-mail address/);
  await expectAccessible(owner, "mailbox message");
  await visit(owner, verifyLink);
  await owner.getByRole("button", { name: "Confirm e-mail address" }).click();
  await expect(owner.getByText("Your e-mail address is confirmed")).toBeVisible();
  await expectAccessible(owner, "sign-in after verify");

  // --- Sign in: a pending organisation can set up its team ---
  await waitForHydration(owner);
  await owner.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await owner.getByRole("button", { name: "Sign in" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: orgName })).toBeVisible();
  await expect(owner.getByText("Waiting for approval")).toBeVisible();
  await expectAccessible(owner, "overview");
  const slug = new URL(owner.url()).pathname.split("/")[1]!;

  // --- Invite a colleague ---
  await owner.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Team" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await waitForHydration(owner);
  await expectAccessible(owner, "team");
  await owner.getByRole("form", { name: "Invite someone" }).getByLabel("E-mail address").fill(colleagueEmail);
  await owner.getByRole("form", { name: "Invite someone" }).getByLabel("Role").selectOption("DATA_SCIENTIST");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(`Invitation sent to ${colleagueEmail}.`)).toBeVisible();
  await expect(owner.getByTestId(`invitation-${colleagueEmail}`)).toBeVisible();

  // --- The colleague accepts in a second browser context, creating an account ---
  const colleague = await newPage(browser);
  const inviteLink = await linkFromMailbox(colleague, colleagueEmail, /invited you to/);
  await visit(colleague, inviteLink);
  await expect(colleague.getByText(`You have been invited to join ${orgName} as Data scientist`)).toBeVisible();
  await colleague.getByLabel("Full name").fill("Kari Kollega");
  await colleague.getByRole("textbox", { name: "New password", exact: true }).fill("colleague passphrase 1");
  await colleague.getByLabel("Repeat the new password").fill("colleague passphrase 1");
  await colleague.getByRole("button", { name: `Create account and join ${orgName}` }).click();
  await expect(colleague.getByText(`Welcome to ${orgName}.`)).toBeVisible();
  await expectAccessible(colleague, "colleague overview");
  // A data scientist sees no audit log, and cannot open it by URL either.
  await expect(colleague.getByRole("navigation", { name: "Portal" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  const auditResponse = await colleague.goto(`/${slug}/audit`);
  expect(auditResponse?.status()).toBe(404);

  // --- The owner changes the colleague's role ---
  await owner.reload();
  await waitForHydration(owner);
  const row = owner.getByTestId(`member-${colleagueEmail}`);
  await expect(row).toBeVisible();
  await row.getByLabel("Role for Kari Kollega").selectOption("VIEWER");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText("Role changed.")).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId(`member-${colleagueEmail}`).getByLabel("Role for Kari Kollega")).toHaveValue("VIEWER");

  // --- ... and removes them, which ends the colleague's session ---
  await waitForHydration(owner);
  await owner.getByTestId(`member-${colleagueEmail}`).getByRole("button", { name: /Remove/ }).click();
  const dialog = owner.getByRole("dialog", { name: "Remove Kari Kollega?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(owner, "remove dialog");
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(owner.getByTestId(`member-${colleagueEmail}`)).toHaveCount(0);

  await colleague.goto(`/${slug}`);
  await expect(colleague).toHaveURL(/\/sign-in/);

  // --- The audit log holds every step, and its chain verifies ---
  await visit(owner, `/${slug}/audit`);
  for (const action of ["org.signed_up", "dpa.accepted", "invitation.created", "invitation.accepted", "member.role_changed", "member.removed"]) {
    await expect(owner.getByRole("cell", { name: action, exact: true }).first()).toBeVisible();
  }
  await owner.getByRole("link", { name: "Verify integrity" }).click();
  await expect(owner.getByText("The audit chain is intact")).toBeVisible();
  await expectAccessible(owner, "audit verified");
  const csv = await owner.request.get(`/${slug}/audit/export`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain("member.removed");
});
