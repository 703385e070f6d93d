-- Money is computed once per aggregate from reserved seconds x price per hour, so usage rows carry the
-- workbench's price instead of a per-record rounded cost. Adds the daily rollup beside the hourly one.

ALTER TABLE "usage_record" ADD COLUMN "price_per_hour_ore" INTEGER;
UPDATE "usage_record" r SET "price_per_hour_ore" = w."price_per_hour_ore" FROM "workbench" w WHERE w."id" = r."workbench_id";
UPDATE "usage_record" SET "price_per_hour_ore" = CASE WHEN "reserved_seconds" > 0 THEN round("cost_ore" * 3600 / "reserved_seconds")::int ELSE 0 END
  WHERE "price_per_hour_ore" IS NULL;
ALTER TABLE "usage_record" ALTER COLUMN "price_per_hour_ore" SET NOT NULL;
ALTER TABLE "usage_record" DROP COLUMN "cost_ore";

ALTER TABLE "usage_hourly" ADD COLUMN "price_per_hour_ore" INTEGER;
UPDATE "usage_hourly" h SET "price_per_hour_ore" = r."price"
  FROM (SELECT "workbench_id", min("price_per_hour_ore") AS "price" FROM "usage_record" GROUP BY 1) r WHERE r."workbench_id" = h."workbench_id";
UPDATE "usage_hourly" SET "price_per_hour_ore" = 0 WHERE "price_per_hour_ore" IS NULL;
ALTER TABLE "usage_hourly" ALTER COLUMN "price_per_hour_ore" SET NOT NULL;
ALTER TABLE "usage_hourly" DROP COLUMN "cost_ore";

CREATE TABLE "usage_daily" (
    "workbench_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "org_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "project" TEXT NOT NULL,
    "shape_id" TEXT NOT NULL,
    "region_id" TEXT NOT NULL,
    "reserved_seconds" DECIMAL(24,6) NOT NULL,
    "gpu_seconds" DECIMAL(24,6) NOT NULL,
    "energy_wh" DECIMAL(24,6) NOT NULL,
    "storage_gb_hours" DECIMAL(24,6) NOT NULL,
    "price_per_hour_ore" INTEGER NOT NULL,
    "records" INTEGER NOT NULL,

    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("workbench_id","day")
);
CREATE INDEX "usage_daily_org_id_day_idx" ON "usage_daily"("org_id", "day");

INSERT INTO "usage_daily" ("workbench_id", "day", "org_id", "user_id", "project", "shape_id", "region_id", "reserved_seconds", "gpu_seconds",
                           "energy_wh", "storage_gb_hours", "price_per_hour_ore", "records")
SELECT "workbench_id", date_trunc('day', "hour", 'UTC'), min("org_id"), min("user_id"), min("project"), min("shape_id"), min("region_id"),
       sum("reserved_seconds"), sum("gpu_seconds"), sum("energy_wh"), sum("storage_gb_hours"), min("price_per_hour_ore"), sum("records")
FROM "usage_hourly" GROUP BY 1, 2;
