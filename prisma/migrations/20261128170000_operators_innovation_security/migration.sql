-- Operators, joint-innovation requests, two-factor authentication, sessions, deletion requests.

-- CreateEnum
CREATE TYPE "PlatformRole" AS ENUM ('NONE', 'OPERATOR');

-- CreateEnum
CREATE TYPE "InnovationStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_INFO', 'ACCEPTED', 'DECLINED', 'ACTIVE', 'COMPLETED');

-- CreateEnum
CREATE TYPE "DataSensitivity" AS ENUM ('OPEN', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED');

-- CreateEnum
CREATE TYPE "DeletionStatus" AS ENUM ('REQUESTED', 'CANCELLED', 'APPROVED', 'COMPLETED');

-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "allowed_shapes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "require_totp" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "status_reason" TEXT;

-- AlterTable
ALTER TABLE "user" ADD COLUMN     "oidc_subject" TEXT,
ADD COLUMN     "platform_role" "PlatformRole" NOT NULL DEFAULT 'NONE',
ADD COLUMN     "totp_enabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "totp_secret" TEXT;

-- CreateTable
CREATE TABLE "recovery_code" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recovery_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_session" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "user_agent" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "user_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "innovation_request" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "problem" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "sector" "Sector" NOT NULL,
    "sensitivity" "DataSensitivity" NOT NULL,
    "shape_id" TEXT,
    "gpu_quantity" INTEGER,
    "duration_value" INTEGER,
    "duration_unit" TEXT,
    "start_date" DATE,
    "end_date" DATE,
    "contacts" JSONB NOT NULL DEFAULT '[]',
    "status" "InnovationStatus" NOT NULL DEFAULT 'DRAFT',
    "decline_reason" TEXT,
    "assigned_to_id" TEXT,
    "credit_ore" BIGINT,
    "credit_id" TEXT,
    "submitted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "innovation_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "innovation_event" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "from_status" "InnovationStatus",
    "to_status" "InnovationStatus" NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "innovation_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "innovation_comment" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "author_name" TEXT NOT NULL,
    "from_provider" BOOLEAN NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "innovation_comment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deletion_request" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "requested_by_id" TEXT NOT NULL,
    "reason" TEXT,
    "status" "DeletionStatus" NOT NULL DEFAULT 'REQUESTED',
    "decided_by_id" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deletion_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recovery_code_user_id_idx" ON "recovery_code"("user_id");

-- CreateIndex
CREATE INDEX "user_session_user_id_revoked_at_idx" ON "user_session"("user_id", "revoked_at");

-- CreateIndex
CREATE UNIQUE INDEX "innovation_request_credit_id_key" ON "innovation_request"("credit_id");

-- CreateIndex
CREATE INDEX "innovation_request_org_id_status_idx" ON "innovation_request"("org_id", "status");

-- CreateIndex
CREATE INDEX "innovation_request_status_submitted_at_idx" ON "innovation_request"("status", "submitted_at");

-- CreateIndex
CREATE INDEX "innovation_event_request_id_created_at_idx" ON "innovation_event"("request_id", "created_at");

-- CreateIndex
CREATE INDEX "innovation_comment_request_id_created_at_idx" ON "innovation_comment"("request_id", "created_at");

-- CreateIndex
CREATE INDEX "deletion_request_org_id_status_idx" ON "deletion_request"("org_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "user_oidc_subject_key" ON "user"("oidc_subject");

-- AddForeignKey
ALTER TABLE "recovery_code" ADD CONSTRAINT "recovery_code_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_session" ADD CONSTRAINT "user_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "innovation_request" ADD CONSTRAINT "innovation_request_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "innovation_event" ADD CONSTRAINT "innovation_event_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "innovation_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "innovation_comment" ADD CONSTRAINT "innovation_comment_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "innovation_request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deletion_request" ADD CONSTRAINT "deletion_request_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

