// Real user tokens for multi-process tests: a user signs in through the gateway's OpenID Connect
// provider (authorization code + PKCE against the in-process test IdP of
// apps/gateway/test/support), then the session's refresh gives the portal token, as the browser
// gets it.
import {
  browserFetch,
  CookieJar,
  followUntil,
  type TestOidcProvider,
} from '../../apps/gateway/test/support/oidc-test-provider.js';

export interface SignedInUser {
  /** The portal user token (`Authorization: Bearer …`). */
  token: string;
  userEntityRef: string;
  ownershipEntityRefs: string[];
}

/**
 * The gateway's `auth.providers.oidc` settings for the test IdP: the given environment, resolving
 * users by their catalog profile email.
 */
export function oidcProviderConfig(idp: TestOidcProvider, environment = 'development'): string {
  return JSON.stringify({
    [environment]: {
      metadataUrl: idp.metadataUrl,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
    },
  });
}

/**
 * Signs `account` (an account of the test IdP) in through the gateway at `gatewayUrl` (redirect
 * flow), and returns its portal token from `/api/auth/oidc/refresh`. Throws with the gateway's
 * answer when the sign-in is refused (an unknown user: 401). One sign-in at a time per IdP: the
 * test IdP signs in the account chosen last.
 */
export async function signInWithOidc(
  gatewayUrl: string,
  idp: TestOidcProvider,
  account: string,
  environment = 'development',
): Promise<SignedInUser> {
  const jar = new CookieJar();
  const callback = `${gatewayUrl}/api/auth/oidc/handler/frame`;
  idp.signInAs(account);
  const redirectUrl = `${gatewayUrl}/`;
  const start = await browserFetch(
    jar,
    `${gatewayUrl}/api/auth/oidc/start?env=${environment}&flow=redirect&redirectUrl=${encodeURIComponent(redirectUrl)}`,
  );
  if (start.status !== 302 || !start.location)
    throw new Error(`oidc start: ${start.status} ${start.text.slice(0, 300)}`);
  const done = await browserFetch(jar, await followUntil(jar, start.location, callback));
  if (done.status !== 302 || done.location !== redirectUrl)
    throw new Error(`oidc sign-in of ${account}: ${done.status} ${done.text.slice(0, 300)}`);
  const refresh = await browserFetch(jar, `${gatewayUrl}/api/auth/oidc/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (refresh.status !== 200)
    throw new Error(`oidc refresh: ${refresh.status} ${refresh.text.slice(0, 300)}`);
  const identity = (
    JSON.parse(refresh.text) as {
      backstageIdentity: {
        token: string;
        identity: { userEntityRef: string; ownershipEntityRefs: string[] };
      };
    }
  ).backstageIdentity;
  return { token: identity.token, ...identity.identity };
}
