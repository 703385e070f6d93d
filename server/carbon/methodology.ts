// The factor set in force with every factor, for the public methodology page.
import "server-only";
import { db } from "../db";

export async function factorSetInForce() {
  return db.carbonFactorSet.findFirst({
    where: { validFrom: { lte: new Date() } },
    orderBy: { validFrom: "desc" },
    include: { factors: { orderBy: { key: "asc" } } },
  });
}
