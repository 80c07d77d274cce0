/** Which sign-in providers the gateway offers. */
export interface SignInProviders {
  guest: boolean;
  oidc: boolean;
}

/**
 * Asks the gateway: a provider it does not run answers its refresh route with 404 (Backstage's
 * "Unknown auth provider"); any other answer (a token, or 401 without a session) means it is there.
 */
export async function detectSignInProviders(): Promise<SignInProviders> {
  const probe = async (provider: string) => {
    const res = await fetch(`/api/auth/${provider}/refresh`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    return res.status !== 404;
  };
  const [guest, oidc] = await Promise.all([probe('guest'), probe('oidc')]);
  return { guest, oidc };
}

/** Starts the OIDC redirect sign-in; the gateway sends the browser back here with a session cookie. */
export function startOidcSignIn(): void {
  const params = new URLSearchParams({ flow: 'redirect', redirectUrl: window.location.href });
  window.location.assign(`/api/auth/oidc/start?${params}`);
}
