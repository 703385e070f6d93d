// Server configuration, validated once; a missing or malformed variable fails with its name.
import "server-only";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL must point at PostgreSQL (npm run dev sets it)"),
  AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters").optional(),
  SMTP_URL: z.string().url("SMTP_URL must be a URL such as smtp://user:pass@host:587").optional(),
  MAIL_FROM: z.string().default("Sovereign AI Cloud <no-reply@portal.localhost>"),
  PUBLIC_URL: z.string().url("PUBLIC_URL must be an absolute URL").optional(),
  PORTAL_DEV_MAILBOX: z.enum(["0", "1"]).optional(),
  NODE_ENV: z.string().default("development"),
  CONTROL_PLANE_URL: z.string().url("CONTROL_PLANE_URL must be a URL such as http://127.0.0.1:4010").default("http://127.0.0.1:4010"),
  CONTROL_PLANE_TOKEN: z.string().min(8, "CONTROL_PLANE_TOKEN must be at least 8 characters").default("dev-control-plane-token"),
  // Optional OpenID Connect sign-in (all three of ISSUER, CLIENT_ID, CLIENT_SECRET, or none; see server/auth/oidc.ts).
  OIDC_ISSUER: z.string().url("OIDC_ISSUER must be the issuer URL, such as https://login.example.no/realms/acme").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(60, "OIDC_NAME must be at most 60 characters").optional(),
  OIDC_MFA: z.enum(["0", "1"], { error: "OIDC_MFA must be 0 or 1" }).optional(),
});

export type ServerEnv = z.infer<typeof schema>;

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  if (cached) return cached;
  const present = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid server configuration: ${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** The development mailbox is on only without SMTP, and in development or when explicitly enabled. */
export function devMailboxEnabled(): boolean {
  const env = serverEnv();
  if (env.SMTP_URL) return false;
  return env.NODE_ENV !== "production" || env.PORTAL_DEV_MAILBOX === "1";
}
