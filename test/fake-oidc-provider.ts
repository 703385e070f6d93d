// A small but faithful OpenID Connect provider on loopback, for tests of the OIDC sign-in: discovery,
// JWKS with an RSA key made at start, an authorize endpoint that redirects back with a code (the
// signed-in person is whoever the test sets), a token endpoint that checks the client secret and PKCE
// and issues an RS256-signed ID token, and userinfo.
import { createHash, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeIdentity {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

interface PendingCode {
  identity: FakeIdentity;
  clientId: string;
  redirectUri: string;
  nonce: string | null;
  codeChallenge: string | null;
  expiresAt: number;
}

export interface FakeOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The person who "signs in" at the provider on the next authorize request. */
  signInAs(identity: FakeIdentity): void;
  /** Requests seen, for assertions (path and method). */
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

const b64url = (input: Buffer | string) => Buffer.from(input).toString("base64url");

export async function startFakeOidcProvider(options: { clientId?: string; clientSecret?: string; realm?: string } = {}): Promise<FakeOidcProvider> {
  const clientId = options.clientId ?? "portal";
  const clientSecret = options.clientSecret ?? randomBytes(16).toString("hex");
  const realmPath = `/realms/${options.realm ?? "test"}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(8).toString("hex");
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  const codes = new Map<string, PendingCode>();
  const accessTokens = new Map<string, FakeIdentity>();
  const requests: FakeOidcProvider["requests"] = [];
  let identity: FakeIdentity | null = null;
  let issuer = "";

  function sign(payload: Record<string, unknown>): string {
    const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid }));
    const body = b64url(JSON.stringify(payload));
    const signature = createSign("RSA-SHA256").update(`${header}.${body}`).sign(privateKey);
    return `${header}.${body}.${b64url(signature)}`;
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
    res.end(JSON.stringify(body));
  }

  async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
  }

  function clientFrom(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string } | null {
    const header = req.headers.authorization;
    if (header?.startsWith("Basic ")) {
      const [id, secret] = Buffer.from(header.slice(6), "base64").toString("utf8").split(":").map((v) => decodeURIComponent(v.replace(/\+/g, " ")));
      return id && secret ? { id, secret } : null;
    }
    const id = form.get("client_id");
    const secret = form.get("client_secret");
    return id && secret ? { id, secret } : null;
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    requests.push({ method: req.method ?? "GET", path: url.pathname });
    const path = url.pathname.startsWith(realmPath) ? url.pathname.slice(realmPath.length) : null;
    try {
      if (path === "/.well-known/openid-configuration") {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          userinfo_endpoint: `${issuer}/protocol/openid-connect/userinfo`,
          jwks_uri: `${issuer}/protocol/openid-connect/certs`,
          response_types_supported: ["code"],
          grant_types_supported: ["authorization_code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid", "profile", "email"],
          token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
          code_challenge_methods_supported: ["S256"],
          claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name"],
        });
      }
      if (path === "/protocol/openid-connect/certs") return json(res, 200, { keys: [jwk] });
      if (path === "/protocol/openid-connect/auth" && req.method === "GET") {
        const redirectUri = url.searchParams.get("redirect_uri");
        const state = url.searchParams.get("state");
        if (url.searchParams.get("client_id") !== clientId || !redirectUri) return json(res, 400, { error: "invalid_request" });
        if (url.searchParams.get("response_type") !== "code" || !(url.searchParams.get("scope") ?? "").split(" ").includes("openid")) {
          return json(res, 400, { error: "invalid_request" });
        }
        const back = new URL(redirectUri);
        if (state) back.searchParams.set("state", state);
        if (!identity) {
          back.searchParams.set("error", "access_denied");
        } else {
          const code = randomBytes(16).toString("base64url");
          const method = url.searchParams.get("code_challenge_method");
          if (url.searchParams.get("code_challenge") && method !== "S256") return json(res, 400, { error: "invalid_request" });
          codes.set(code, {
            identity,
            clientId,
            redirectUri,
            nonce: url.searchParams.get("nonce"),
            codeChallenge: url.searchParams.get("code_challenge"),
            expiresAt: Date.now() + 60_000,
          });
          back.searchParams.set("code", code);
        }
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (path === "/protocol/openid-connect/token" && req.method === "POST") {
        const form = await readForm(req);
        const client = clientFrom(req, form);
        if (!client || client.id !== clientId || client.secret !== clientSecret) return json(res, 401, { error: "invalid_client" });
        const code = form.get("code") ?? "";
        const pending = codes.get(code);
        codes.delete(code); // single use
        if (form.get("grant_type") !== "authorization_code" || !pending || pending.expiresAt < Date.now()) return json(res, 400, { error: "invalid_grant" });
        if (form.get("redirect_uri") !== pending.redirectUri) return json(res, 400, { error: "invalid_grant" });
        if (pending.codeChallenge) {
          const verifier = form.get("code_verifier") ?? "";
          if (b64url(createHash("sha256").update(verifier).digest()) !== pending.codeChallenge) return json(res, 400, { error: "invalid_grant" });
        }
        const now = Math.floor(Date.now() / 1000);
        const accessToken = randomBytes(24).toString("base64url");
        accessTokens.set(accessToken, pending.identity);
        const idToken = sign({
          iss: issuer,
          aud: clientId,
          azp: clientId,
          iat: now,
          exp: now + 300,
          auth_time: now,
          ...(pending.nonce ? { nonce: pending.nonce } : {}),
          ...pending.identity,
        });
        return json(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 300, id_token: idToken, scope: "openid profile email" });
      }
      if (path === "/protocol/openid-connect/userinfo") {
        const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
        const who = accessTokens.get(token);
        return who ? json(res, 200, who) : json(res, 401, { error: "invalid_token" });
      }
      json(res, 404, { error: "not_found" });
    } catch (error) {
      json(res, 500, { error: "server_error", detail: String(error) });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}${realmPath}`;

  return {
    issuer,
    clientId,
    clientSecret,
    requests,
    signInAs(next) {
      identity = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
