// The carbon factor set in force, loaded from the versioned table.
import "server-only";
import { cache } from "react";
import { db } from "../db";
import { factorValues, type FactorValues } from "./estimate";

/** The newest factor set valid now; null when none has been loaded. */
export const currentFactorSet = cache(async (): Promise<(FactorValues & { label: string }) | null> => {
  const set = await db.carbonFactorSet.findFirst({
    where: { validFrom: { lte: new Date() } },
    orderBy: { validFrom: "desc" },
    include: { factors: { select: { key: true, value: true } } },
  });
  if (!set) return null;
  return { ...factorValues(set.id, set.factors), label: set.label };
});
