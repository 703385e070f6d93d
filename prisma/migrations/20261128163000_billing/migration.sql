-- Invoices, credit notes, approvals, disputes, agreed credits and budgets.

-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('INVOICE', 'CREDIT_NOTE');

-- CreateEnum
CREATE TYPE "InvoiceStatus" AS ENUM ('DRAFT', 'ISSUED', 'APPROVED', 'DISPUTED', 'CREDITED');

-- CreateEnum
CREATE TYPE "InvoiceLineKind" AS ENUM ('COMPUTE', 'STORAGE', 'CREDIT', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "DisputeStatus" AS ENUM ('OPEN', 'RESOLVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "BudgetAlertKind" AS ENUM ('FORECAST', 'ACTUAL');

-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "invoice_approvals" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "order_reference" TEXT,
ADD COLUMN     "payment_terms_days" INTEGER NOT NULL DEFAULT 30;

-- CreateTable
CREATE TABLE "invoice" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL DEFAULT 'INVOICE',
    "status" "InvoiceStatus" NOT NULL DEFAULT 'DRAFT',
    "period_start" DATE NOT NULL,
    "period_end" DATE NOT NULL,
    "number" TEXT,
    "series" TEXT,
    "sequence" INTEGER,
    "issue_date" DATE,
    "due_date" DATE,
    "review_until" TIMESTAMPTZ(3),
    "buyer_reference" TEXT NOT NULL,
    "order_reference" TEXT,
    "kid" TEXT,
    "net_ore" BIGINT NOT NULL,
    "vat_ore" BIGINT NOT NULL,
    "total_ore" BIGINT NOT NULL,
    "document" JSONB,
    "content_hash" TEXT,
    "finalized_at" TIMESTAMPTZ(3),
    "credited_invoice_id" TEXT,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "invoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_line" (
    "id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "InvoiceLineKind" NOT NULL,
    "description" TEXT NOT NULL,
    "shape_id" TEXT,
    "project" TEXT,
    "quantity" DECIMAL(24,6) NOT NULL,
    "unit_code" TEXT NOT NULL,
    "unit_price_ore" DECIMAL(20,4) NOT NULL,
    "net_ore" BIGINT NOT NULL,
    "vat_percent" INTEGER NOT NULL,
    "credit_id" TEXT,

    CONSTRAINT "invoice_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_series" (
    "name" TEXT NOT NULL,
    "last_number" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "invoice_series_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "invoice_approval" (
    "id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_dispute" (
    "id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "DisputeStatus" NOT NULL DEFAULT 'OPEN',
    "credit_note_id" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoice_dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_credit" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount_ore" BIGINT NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_credit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "project" TEXT NOT NULL DEFAULT '',
    "monthly_ore" BIGINT NOT NULL,
    "hard_stop" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_alert" (
    "id" TEXT NOT NULL,
    "budget_id" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "threshold" INTEGER NOT NULL,
    "kind" "BudgetAlertKind" NOT NULL,
    "spent_ore" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budget_alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "invoice_number_key" ON "invoice"("number");

-- CreateIndex
CREATE INDEX "invoice_org_id_period_start_idx" ON "invoice"("org_id", "period_start");

-- CreateIndex
CREATE INDEX "invoice_status_review_until_idx" ON "invoice"("status", "review_until");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_line_invoice_id_position_key" ON "invoice_line"("invoice_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_approval_invoice_id_user_id_key" ON "invoice_approval"("invoice_id", "user_id");

-- CreateIndex
CREATE INDEX "invoice_dispute_status_idx" ON "invoice_dispute"("status");

-- CreateIndex
CREATE INDEX "billing_credit_org_id_idx" ON "billing_credit"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "budget_org_id_project_key" ON "budget"("org_id", "project");

-- CreateIndex
CREATE UNIQUE INDEX "budget_alert_budget_id_month_threshold_kind_key" ON "budget_alert"("budget_id", "month", "threshold", "kind");

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_credited_invoice_id_fkey" FOREIGN KEY ("credited_invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_line" ADD CONSTRAINT "invoice_line_credit_id_fkey" FOREIGN KEY ("credit_id") REFERENCES "billing_credit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_approval" ADD CONSTRAINT "invoice_approval_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoice_dispute" ADD CONSTRAINT "invoice_dispute_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoice"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_credit" ADD CONSTRAINT "billing_credit_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget" ADD CONSTRAINT "budget_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_alert" ADD CONSTRAINT "budget_alert_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- One invoice per organisation and month; the month close relies on it to never create one twice.
CREATE UNIQUE INDEX "invoice_one_per_org_period" ON "invoice" ("org_id", "period_start") WHERE "kind" = 'INVOICE';
-- Numbers are unique within their series: gapless numbering is done by the finaliser, this makes a duplicate impossible.
CREATE UNIQUE INDEX "invoice_series_sequence_key" ON "invoice" ("series", "sequence") WHERE "series" IS NOT NULL;
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_numbered_when_final" CHECK (("finalized_at" IS NULL) = ("number" IS NULL) AND ("number" IS NULL) = ("content_hash" IS NULL));
ALTER TABLE "invoice" ADD CONSTRAINT "invoice_draft_status" CHECK (("status" = 'DRAFT') = ("finalized_at" IS NULL));

-- A finalised invoice is never edited or deleted: only its customer-facing status may move.
CREATE FUNCTION "invoice_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."finalized_at" IS NOT NULL THEN
      RAISE EXCEPTION 'invoice % is finalised and cannot be deleted', OLD."number" USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."finalized_at" IS NOT NULL AND (
       NEW."org_id", NEW."kind", NEW."period_start", NEW."period_end", NEW."number", NEW."series", NEW."sequence", NEW."issue_date",
       NEW."due_date", NEW."review_until", NEW."buyer_reference", NEW."order_reference", NEW."kid", NEW."net_ore", NEW."vat_ore",
       NEW."total_ore", NEW."document", NEW."content_hash", NEW."finalized_at", NEW."credited_invoice_id", NEW."reason", NEW."created_at"
     ) IS DISTINCT FROM (
       OLD."org_id", OLD."kind", OLD."period_start", OLD."period_end", OLD."number", OLD."series", OLD."sequence", OLD."issue_date",
       OLD."due_date", OLD."review_until", OLD."buyer_reference", OLD."order_reference", OLD."kid", OLD."net_ore", OLD."vat_ore",
       OLD."total_ore", OLD."document", OLD."content_hash", OLD."finalized_at", OLD."credited_invoice_id", OLD."reason", OLD."created_at"
     ) THEN
    RAISE EXCEPTION 'invoice % is finalised and cannot be changed', OLD."number" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "invoice_frozen" BEFORE UPDATE OR DELETE ON "invoice" FOR EACH ROW EXECUTE FUNCTION "invoice_frozen"();

CREATE FUNCTION "invoice_line_frozen"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target TEXT := CASE WHEN TG_OP = 'INSERT' THEN NEW."invoice_id" ELSE OLD."invoice_id" END;
BEGIN
  IF EXISTS (SELECT 1 FROM "invoice" WHERE "id" = target AND "finalized_at" IS NOT NULL)
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM "invoice" WHERE "id" = NEW."invoice_id" AND "finalized_at" IS NOT NULL)) THEN
    RAISE EXCEPTION 'the lines of a finalised invoice cannot be changed' USING ERRCODE = 'P0001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER "invoice_line_frozen" BEFORE INSERT OR UPDATE OR DELETE ON "invoice_line" FOR EACH ROW EXECUTE FUNCTION "invoice_line_frozen"();
