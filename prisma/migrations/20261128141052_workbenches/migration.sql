-- CreateEnum
CREATE TYPE "WorkbenchStatus" AS ENUM ('PROVISIONING', 'QUEUED', 'SCHEDULED', 'PULLING_IMAGE', 'STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'FAILED', 'DELETING', 'DELETED', 'LOST');

-- CreateEnum
CREATE TYPE "WorkbenchDesiredState" AS ENUM ('RUNNING', 'STOPPED', 'DELETED');

-- AlterTable
ALTER TABLE "organization" ADD COLUMN     "gpu_quota" INTEGER NOT NULL DEFAULT 8;

-- CreateTable
CREATE TABLE "shape_offer" (
    "shape_id" TEXT NOT NULL,
    "price_per_hour_ore" INTEGER NOT NULL,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "shape_offer_pkey" PRIMARY KEY ("shape_id")
);

-- CreateTable
CREATE TABLE "carbon_factor_set" (
    "id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carbon_factor_set_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "carbon_factor" (
    "set_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "carbon_factor_pkey" PRIMARY KEY ("set_id","key")
);

-- CreateTable
CREATE TABLE "workbench" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "created_by_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "image_id" TEXT NOT NULL,
    "shape_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "storage_gb" INTEGER NOT NULL,
    "idle_timeout_minutes" INTEGER NOT NULL,
    "gpu_milli" INTEGER NOT NULL,
    "price_per_hour_ore" INTEGER NOT NULL,
    "desired_state" "WorkbenchDesiredState" NOT NULL DEFAULT 'RUNNING',
    "status" "WorkbenchStatus" NOT NULL DEFAULT 'PROVISIONING',
    "control_plane_id" TEXT,
    "reason" TEXT,
    "queue_position" INTEGER,
    "url" TEXT,
    "energy_wh" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "gpu_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "run_seconds_before" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "running_since" TIMESTAMPTZ(3),
    "last_activity_at" TIMESTAMPTZ(3),
    "idle_warned_at" TIMESTAMPTZ(3),
    "submit_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "workbench_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "workbench_control_plane_id_key" ON "workbench"("control_plane_id");

-- CreateIndex
CREATE INDEX "workbench_org_id_status_idx" ON "workbench"("org_id", "status");

-- CreateIndex
CREATE INDEX "workbench_status_desired_state_idx" ON "workbench"("status", "desired_state");

-- CreateIndex
CREATE UNIQUE INDEX "workbench_org_id_name_key" ON "workbench"("org_id", "name");

-- AddForeignKey
ALTER TABLE "carbon_factor" ADD CONSTRAINT "carbon_factor_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "carbon_factor_set"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workbench" ADD CONSTRAINT "workbench_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
