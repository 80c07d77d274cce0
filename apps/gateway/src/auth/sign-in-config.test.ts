import { Config, validateConfig, type JsonObject } from '@portal/platform';
import { authConfigSchema, readAuthSettings } from './auth-config.js';
import { readAllowedRedirectOrigins, readOidcSettings } from './sign-in-config.js';

const config = (data: JsonObject) => Config.fromObject(data);
const base = { baseUrl: 'https://portal.example.com' };
const oidc = (extra: JsonObject = {}): JsonObject => ({
  metadataUrl: 'https://idp.example.com/.well-known/openid-configuration',
  clientId: 'portal',
  clientSecret: 'secret',
  signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }] },
  ...extra,
});

describe('readOidcSettings', () => {
  it('is undefined without auth.providers.oidc', () => {
    expect(readOidcSettings(config({}), base)).toBeUndefined();
  });

  it("reads Backstage's per-environment shape with defaults", () => {
    const settings = readOidcSettings(
      config({ auth: { providers: { oidc: { development: oidc(), production: oidc({ clientId: 'p' }) } } } }),
      { ...base, authEnvironment: 'production' },
    )!;
    expect([...settings.environments.keys()]).toEqual(['development', 'production']);
    expect(settings.defaultEnv).toBe('production');
    expect(settings.environments.get('development')).toEqual({
      env: 'development',
      metadataUrl: 'https://idp.example.com/.well-known/openid-configuration',
      clientId: 'portal',
      clientSecret: 'secret',
      callbackUrl: 'https://portal.example.com/api/auth/oidc/handler/frame',
      scope: 'openid profile email',
      prompt: undefined,
      tokenEndpointAuthMethod: undefined,
      sessionDurationSeconds: 86_400,
      resolvers: [
        {
          resolver: 'emailMatchingUserEntityProfileEmail',
          dangerouslyAllowSignInWithoutUserInCatalog: false,
        },
      ],
    });
  });

  it('reads the flat shape, resolver options, scope, prompt and session duration', () => {
    const settings = readOidcSettings(
      config({
        auth: {
          providers: {
            oidc: oidc({
              scope: 'email groups',
              prompt: 'login',
              sessionDuration: { hours: 8 },
              callbackUrl: 'https://auth.example.com/cb',
              signIn: {
                resolvers: [
                  { resolver: 'userIdMatchingUserEntityAnnotation' },
                  { resolver: 'userIdMatchingUserEntityAnnotation', annotation: 'example.com/sub' },
                  {
                    resolver: 'emailLocalPartMatchingUserEntityName',
                    allowedDomains: ['Example.com'],
                    dangerouslyAllowSignInWithoutUserInCatalog: true,
                  },
                ],
              },
            }),
          },
        },
      }),
      base,
    )!;
    expect(settings.defaultEnv).toBe('default');
    const env = settings.environments.get('default')!;
    expect(env.scope).toBe('openid email groups');
    expect(env.prompt).toBe('login');
    expect(env.sessionDurationSeconds).toBe(8 * 3600);
    expect(env.callbackUrl).toBe('https://auth.example.com/cb');
    expect(env.resolvers).toEqual([
      {
        resolver: 'userIdMatchingUserEntityAnnotation',
        annotation: 'portal.io/oidc-subject',
        dangerouslyAllowSignInWithoutUserInCatalog: false,
      },
      {
        resolver: 'userIdMatchingUserEntityAnnotation',
        annotation: 'example.com/sub',
        dangerouslyAllowSignInWithoutUserInCatalog: false,
      },
      {
        resolver: 'emailLocalPartMatchingUserEntityName',
        allowedDomains: ['example.com'],
        dangerouslyAllowSignInWithoutUserInCatalog: true,
      },
    ]);
  });

  it('refuses bad values, naming the key', () => {
    const read = (value: JsonObject) => () =>
      readOidcSettings(config({ auth: { providers: { oidc: value } } }), base);
    expect(read(oidc({ metadataUrl: 'http://idp.example.com/.well-known/openid-configuration' }))).toThrow(
      /auth\.providers\.oidc\.metadataUrl .*must be https/,
    );
    expect(read(oidc({ metadataUrl: 'not a url' }))).toThrow(/auth\.providers\.oidc\.metadataUrl/);
    expect(read(oidc({ signIn: { resolvers: [{ resolver: 'magic' }] } }))).toThrow(
      /Unknown sign-in resolver 'magic' at auth\.providers\.oidc\.signIn\.resolvers\[0\]\.resolver/,
    );
    expect(read(oidc({ signIn: undefined as never }))).toThrow(
      /Missing auth\.providers\.oidc\.signIn\.resolvers/,
    );
    expect(read({ development: oidc({ sessionDuration: { seconds: 5 } }) })).toThrow(
      /auth\.providers\.oidc\.development\.sessionDuration/,
    );
    expect(read({ development: oidc({ clientId: undefined as never }) })).toThrow(/clientId/);
    expect(read({})).toThrow(/no environment/);
  });

  it('allows plain http only for a loopback IdP', () => {
    const settings = readOidcSettings(
      config({ auth: { providers: { oidc: oidc({ metadataUrl: 'http://127.0.0.1:5556/.well-known/x' }) } } }),
      base,
    );
    expect(settings?.environments.get('default')?.metadataUrl).toBe('http://127.0.0.1:5556/.well-known/x');
  });
});

describe('readAllowedRedirectOrigins', () => {
  it("is app.baseUrl's origin and the listed origins, exactly", () => {
    expect(
      readAllowedRedirectOrigins(
        config({
          app: { baseUrl: 'https://portal.example.com/some/path' },
          auth: { allowedRedirectOrigins: ['https://other.example.com', 'http://localhost:3000/'] },
        }),
        'https://backend.example.com',
      ),
    ).toEqual(new Set(['https://portal.example.com', 'https://other.example.com', 'http://localhost:3000']));
    expect(readAllowedRedirectOrigins(config({}), 'https://backend.example.com')).toEqual(
      new Set(['https://backend.example.com']),
    );
  });

  it('refuses entries that are not origins', () => {
    const read = (value: string) => () =>
      readAllowedRedirectOrigins(config({ auth: { allowedRedirectOrigins: [value] } }), 'https://p.example');
    expect(read('https://x.example.com/path')).toThrow(
      /auth\.allowedRedirectOrigins\[0\].*expected an origin/,
    );
    expect(read('x.example.com')).toThrow(/auth\.allowedRedirectOrigins\[0\].*not a URL/);
    expect(read('ftp://x.example.com')).toThrow(/only http and https/);
  });
});

describe('authConfigSchema for sign-in', () => {
  const validate = (auth: JsonObject) => () => validateConfig(config({ auth }), [authConfigSchema]);

  it('accepts both OIDC shapes and the redirect allow-list', () => {
    expect(
      validate({ allowedRedirectOrigins: ['https://a.example'], providers: { oidc: oidc() } }),
    ).not.toThrow();
    expect(validate({ providers: { oidc: { development: oidc(), production: oidc() } } })).not.toThrow();
  });

  it('names a bad key', () => {
    expect(validate({ providers: { oidc: { development: oidc({ clientSecrt: 'x' }) } } })).toThrow(
      /auth\.providers\.oidc\.development\.clientSecrt is not a known key/,
    );
    expect(
      validate({
        providers: {
          oidc: oidc({ signIn: { resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail', x: 1 }] } }),
        },
      }),
    ).toThrow(/auth\.providers\.oidc\.signIn\.resolvers\.0\.x is not a known key/);
    expect(validate({ allowedRedirectOrigins: 'https://a.example' })).toThrow(/auth\.allowedRedirectOrigins/);
  });

  it('is read into the auth settings', () => {
    const settings = readAuthSettings(
      config({ backend: { baseUrl: 'http://localhost:7007' }, auth: { providers: { oidc: oidc() } } }),
      {},
    );
    expect(settings.oidc?.environments.get('default')?.callbackUrl).toBe(
      'http://localhost:7007/api/auth/oidc/handler/frame',
    );
    expect(settings.appOrigin).toBe('http://localhost:7007');
  });
});
