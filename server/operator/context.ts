// The operators' console: provider staff with the OPERATOR platform role, outside every customer
// organisation. The role is read from the database on every request (never from the session token).
import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { portalContext } from "../portal-context";

/** Re-exported for pages; domain code imports it from ./role (no Next.js imports there). */
export { isOperator } from "./role";

/** The portal context of an operator; 404 for everybody else (the console is not advertised). */
export const operatorContext = cache(async () => {
  const base = await portalContext();
  if (!base.operator) notFound();
  return base;
});
