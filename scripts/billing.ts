// The provider's billing desk, until the operators' console has it:
//
//   npm run billing -- close [YYYY-MM]          draft (or refresh) the month's invoices; default: last month
//   npm run billing -- finalise-due             finalise drafts whose review window has ended
//   npm run billing -- credit <invoice number> --reason "..." [--amount 1234.50] [--operator name]
//                                               issue a credit note (whole invoice, or an amount in NOK before VAT)
//
// The worker runs the first two by itself. Uses DATABASE_URL, or the database of `npm run dev` when it is not set.
export {};
process.env.DATABASE_URL ??= `postgresql://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? "54329"}/portal`;

const [command, ...rest] = process.argv.slice(2);
const option = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};
const usage = () => {
  console.error('usage: npm run billing -- close [YYYY-MM] | finalise-due | credit <invoice number> --reason "..." [--amount NOK] [--operator name]');
  process.exit(2);
};

const { BILLING_ACTOR, closeMonth, finaliseDueDrafts, previousMonth } = await import("../server/billing/close");
try {
  if (command === "close") {
    const month = rest[0] ?? previousMonth(new Date());
    const r = await closeMonth(month);
    console.log(`${month}: ${r.created} drafted, ${r.updated} refreshed, ${r.unchanged} unchanged, ${r.finalised} already final`);
  } else if (command === "finalise-due") {
    console.log(`finalised ${await finaliseDueDrafts()} invoice(s)`);
  } else if (command === "credit") {
    const invoice = rest[0];
    const reason = option("reason");
    const amount = option("amount");
    if (!invoice || invoice.startsWith("--") || !reason) usage();
    if (amount !== undefined && !/^\d+(\.\d{1,2})?$/.test(amount)) throw new RangeError(`--amount must be NOK with at most 2 decimals, got "${amount}"`);
    const { issueCreditNote } = await import("../server/billing/credit-notes");
    const operator = option("operator") ?? process.env.USER ?? "operator";
    const amountOre = amount === undefined ? undefined : Math.round(Number(amount) * 100);
    const result = await issueCreditNote({ invoice: invoice!, reason: reason!, amountOre }, { ...BILLING_ACTOR, actorLabel: `operator:${operator}`, userAgent: "billing-cli" });
    console.log(`credit note ${result.number} issued for invoice ${invoice}`);
  } else {
    usage();
  }
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
