-- AlterTable
ALTER TABLE "workbench" ADD COLUMN     "project" TEXT NOT NULL DEFAULT 'General';

-- CreateTable
CREATE TABLE "usage_record" (
    "id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "workbench_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "shape_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "interval_start" TIMESTAMPTZ(3) NOT NULL,
    "interval_end" TIMESTAMPTZ(3) NOT NULL,
    "reserved_seconds" DECIMAL(20,6) NOT NULL,
    "gpu_seconds" DECIMAL(20,6) NOT NULL,
    "energy_wh" DECIMAL(20,6) NOT NULL,
    "storage_gb_hours" DECIMAL(20,6) NOT NULL,
    "cost_ore" INTEGER NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_hourly" (
    "workbench_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "shape_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "reserved_seconds" DECIMAL(24,6) NOT NULL,
    "gpu_seconds" DECIMAL(24,6) NOT NULL,
    "energy_wh" DECIMAL(24,6) NOT NULL,
    "storage_gb_hours" DECIMAL(24,6) NOT NULL,
    "cost_ore" BIGINT NOT NULL,
    "records" INTEGER NOT NULL,

    CONSTRAINT "usage_hourly_pkey" PRIMARY KEY ("workbench_id","hour")
);

-- CreateTable
CREATE TABLE "feed_cursor" (
    "name" TEXT NOT NULL,
    "cursor" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feed_cursor_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "usage_record_org_id_interval_start_idx" ON "usage_record"("org_id", "interval_start");

-- CreateIndex
CREATE INDEX "usage_record_workbench_id_interval_start_idx" ON "usage_record"("workbench_id", "interval_start");

-- CreateIndex
CREATE INDEX "usage_hourly_org_id_hour_idx" ON "usage_hourly"("org_id", "hour");
