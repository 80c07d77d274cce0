import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}

/** The part of oidc-provider's Provider these tests use (the package ships no types). */
interface OidcProviderLike {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{
    prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
    grantId?: string;
    session: { accountId: string };
    params: { client_id: string };
  }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: object,
    options: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: { new (init: { accountId: string; clientId: string }): Grant; find(id: string): Promise<Grant> };
}

export interface TestAccount {
  email?: string;
  name?: string;
}

export interface TestOidcProvider {
  /** The issuer, e.g. http://127.0.0.1:5123 */
  issuer: string;
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  /** The account the next interaction signs in (as if the user typed its credentials). */
  signInAs(accountId: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on a loopback port, with one confidential client and
 * static accounts. Its login and consent interactions complete by themselves for the account
 * chosen with `signInAs`, so a test drives the whole authorization-code flow with fetch.
 */
export async function startTestOidcProvider(options: {
  redirectUri: string;
  accounts: Record<string, TestAccount>;
}): Promise<TestOidcProvider> {
  const clientId = 'portal-test';
  const clientSecret = 'portal-test-secret-0123456789abcdef';
  let current = Object.keys(options.accounts)[0]!;
  // Assigned once the port (part of the issuer) is known.
  const idp: { provider?: OidcProviderLike } = {};

  const server: Server = createServer((req, res) => {
    const match = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
    if (!match) {
      idp.provider!.callback()(req, res);
      return;
    }
    const provider = idp.provider!;
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: current } },
          {
            mergeWithLastSubmission: false,
          },
        );
        return;
      }
      // consent: grant what the client asked for
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    cookies: { keys: ['oidc-test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          ...(account.email ? { email: account.email, email_verified: true } : {}),
          ...(account.name ? { name: account.name } : {}),
        }),
      };
    },
  });
  idp.provider = provider;

  return {
    issuer,
    metadataUrl: `${issuer}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    signInAs(accountId: string) {
      current = accountId;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A browser's cookies, enough for these tests: one jar per host, paths ignored. */
export class CookieJar {
  private readonly cookies = new Map<string, Map<string, string>>();

  /** Stores the response's cookies; returns its raw Set-Cookie lines. */
  store(url: string, res: Response): string[] {
    const host = new URL(url).host;
    const lines = res.headers.getSetCookie();
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const expired = attributes.some(
        (a) => /^max-age=(0|-)/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) <= Date.now()),
      );
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.cookies.set(host, jar);
    return lines;
  }

  header(url: string): string {
    const jar = this.cookies.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  get(url: string, name: string): string | undefined {
    return this.cookies.get(new URL(url).host)?.get(name);
  }

  set(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const jar = this.cookies.get(host) ?? new Map<string, string>();
    jar.set(name, value);
    this.cookies.set(host, jar);
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [host, jar] of this.cookies) copy.cookies.set(host, new Map(jar));
    return copy;
  }
}

/** One request as a browser makes it: cookies sent and stored, redirects not followed. */
export async function browserFetch(jar: CookieJar, url: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  const setCookies = jar.store(url, res);
  const location = res.headers.get('location');
  return {
    res,
    status: res.status,
    setCookies,
    location: location ? new URL(location, url).href : undefined,
    text: await res.text(),
  };
}

/**
 * Follows redirects from `url` through the IdP (login and consent complete by themselves) until
 * one points at `until` (the portal's callback); returns that URL. At most 20 hops.
 */
export async function followUntil(jar: CookieJar, url: string, until: string): Promise<string> {
  let next = url;
  for (let hop = 0; hop < 20; hop++) {
    if (next.startsWith(until)) return next;
    const { status, location, text } = await browserFetch(jar, next);
    if (!location) throw new Error(`No redirect from ${next} (${status}): ${text.slice(0, 300)}`);
    next = location;
  }
  throw new Error(`Too many redirects on the way to ${until}`);
}
