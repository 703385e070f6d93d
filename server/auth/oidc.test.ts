import { describe, expect, it } from "vitest";
import { oidcProviders, oidcSettings } from "./oidc";
import { sessionMeetsTwoFactor } from "./two-factor-policy";

const FULL = { OIDC_ISSUER: "https://login.example.no/realms/acme/", OIDC_CLIENT_ID: "portal", OIDC_CLIENT_SECRET: "s3cret", OIDC_NAME: "Acme ID" };

describe("OpenID Connect configuration from the environment", () => {
  it("adds no provider when nothing is set", () => {
    expect(oidcSettings({})).toBeNull();
    expect(oidcProviders({})).toEqual([]);
    expect(oidcProviders({ OIDC_NAME: "Only a name", OIDC_MFA: "1" })).toEqual([]);
  });

  it("adds Auth.js's generic OIDC provider (issuer discovery) when issuer, client id and secret are set", () => {
    const [provider, ...rest] = oidcProviders(FULL);
    expect(rest).toEqual([]);
    expect(provider).toMatchObject({
      id: "oidc",
      type: "oidc",
      name: "Acme ID",
      issuer: "https://login.example.no/realms/acme",
      clientId: "portal",
      clientSecret: "s3cret",
      checks: ["pkce", "state", "nonce"],
    });
    expect(oidcSettings({ ...FULL, OIDC_NAME: undefined })?.name).toBe("OpenID Connect");
    expect(oidcSettings(FULL)?.mfa).toBe(false);
    expect(oidcSettings({ ...FULL, OIDC_MFA: "1" })?.mfa).toBe(true);
  });

  it("fails at start-up naming what is missing from a partial configuration", () => {
    expect(() => oidcProviders({ OIDC_ISSUER: FULL.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID, OIDC_CLIENT_SECRET must be set/);
    expect(() => oidcProviders({ OIDC_ISSUER: FULL.OIDC_ISSUER, OIDC_CLIENT_ID: "x" })).toThrow(/OIDC_CLIENT_SECRET must be set/);
  });
});

describe("which sessions meet an organisation's two-factor requirement", () => {
  it("password sessions only after the code step, OIDC sessions only when the provider enforces MFA", () => {
    expect(sessionMeetsTwoFactor("password", true, false)).toBe(false);
    expect(sessionMeetsTwoFactor("password+totp", true, false)).toBe(true);
    expect(sessionMeetsTwoFactor("password+totp", false, false)).toBe(false); // turned off since
    expect(sessionMeetsTwoFactor("oidc", false, false)).toBe(false);
    expect(sessionMeetsTwoFactor("oidc", false, true)).toBe(true);
    expect(sessionMeetsTwoFactor(undefined, true, true)).toBe(false);
  });
});
