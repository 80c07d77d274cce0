import { ErrorPanel, Loading, ThemeToggle, useAsync, useAuthSession } from '@portal/ui';
import { useState } from 'react';
import { detectSignInProviders, startOidcSignIn } from './sign-in-providers.js';

/** Sign-in: the providers the gateway offers (guest in development, OIDC when configured). */
export function SignInPage() {
  const session = useAuthSession();
  const providers = useAsync(detectSignInProviders, []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const signInAsGuest = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn('guest');
    } catch (err) {
      setError(err as Error);
      setBusy(false);
    }
  };
  const oidc = () => {
    session.rememberProvider('oidc');
    startOidcSignIn();
  };

  return (
    <main className="shell-sign-in" id="main">
      <div className="pt-card shell-sign-in-card">
        <div className="shell-sign-in-head">
          <h1>Sign in to Portal</h1>
          <ThemeToggle />
        </div>
        {providers.loading && <Loading label="Looking for sign-in providers…" />}
        {providers.error && (
          <ErrorPanel title="The gateway did not answer" error={providers.error} onRetry={providers.retry} />
        )}
        {providers.value && (
          <div className="shell-sign-in-options">
            {providers.value.oidc && (
              <button type="button" className="pt-button" onClick={oidc} disabled={busy}>
                Sign in with your company account
              </button>
            )}
            {providers.value.guest && (
              <button
                type="button"
                className={providers.value.oidc ? 'pt-button pt-button-quiet' : 'pt-button'}
                onClick={signInAsGuest}
                disabled={busy}
              >
                Enter as guest
              </button>
            )}
            {!providers.value.oidc && !providers.value.guest && (
              <p>No sign-in provider is configured on this portal (auth.providers).</p>
            )}
            {providers.value.guest && (
              <p className="pt-muted">
                The guest provider is for development: it signs you in without a password.
              </p>
            )}
          </div>
        )}
        {error && <ErrorPanel title="Sign-in failed" error={error} />}
      </div>
    </main>
  );
}
