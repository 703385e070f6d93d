// The path of the page being rendered (set by proxy.ts), for "come back here" links.
import "server-only";
import { headers } from "next/headers";
import { safeReturnPath } from "./auth/return-path";

export async function currentPath(): Promise<string> {
  return safeReturnPath((await headers()).get("x-pathname")) ?? "/";
}
