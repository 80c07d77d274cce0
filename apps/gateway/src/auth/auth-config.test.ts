import { Config, platformConfigSchema, validateConfig, type JsonObject } from '@portal/platform';
import { authConfigSchema, guestProviderPolicy, readAuthSettings } from './auth-config.js';

const config = (data: JsonObject) => Config.fromObject(data);

describe('guestProviderPolicy', () => {
  it('lets the guest provider start in development', () => {
    expect(
      guestProviderPolicy({ environment: 'development', dangerouslyAllowOutsideDevelopment: false }),
    ).toEqual({ allowed: true });
  });

  it('refuses it in production, naming the flag that would allow it', () => {
    const decision = guestProviderPolicy({
      environment: 'production',
      dangerouslyAllowOutsideDevelopment: false,
    });
    expect(decision.allowed).toBe(false);
    expect(decision.allowed === false && decision.reason).toContain(
      'auth.providers.guest.dangerouslyAllowOutsideDevelopment',
    );
    expect(
      guestProviderPolicy({ environment: 'test', dangerouslyAllowOutsideDevelopment: false }).allowed,
    ).toBe(false);
  });

  it('allows it in production when dangerouslyAllowOutsideDevelopment is true', () => {
    expect(
      guestProviderPolicy({ environment: 'production', dangerouslyAllowOutsideDevelopment: true }),
    ).toEqual({ allowed: true });
  });
});

describe('readAuthSettings', () => {
  it('defaults: issuer from backend.baseUrl, one hour, no guest provider', () => {
    expect(readAuthSettings(config({ backend: { baseUrl: 'https://portal.example.com/' } }), {})).toEqual({
      issuer: 'https://portal.example.com/api/auth',
      tokenExpiresInSeconds: 3600,
      environment: 'development',
      baseUrl: 'https://portal.example.com',
      allowedRedirectOrigins: new Set(['https://portal.example.com']),
      appOrigin: 'https://portal.example.com',
    });
  });

  it('reads the guest provider with Backstage defaults', () => {
    const settings = readAuthSettings(config({ auth: { providers: { guest: {} } } }), {
      NODE_ENV: 'production',
    });
    expect(settings.environment).toBe('production');
    expect(settings.guest).toEqual({
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: ['user:development/guest'],
      dangerouslyAllowOutsideDevelopment: false,
    });
  });

  it('reads the configured guest identity and token lifetime', () => {
    const settings = readAuthSettings(
      config({
        auth: {
          backstageTokenExpiration: { minutes: 30 },
          providers: {
            guest: {
              userEntityRef: 'user:default/guest',
              ownershipEntityRefs: ['user:default/guest', 'group:default/guests'],
              dangerouslyAllowOutsideDevelopment: true,
            },
          },
        },
      }),
      {},
    );
    expect(settings.tokenExpiresInSeconds).toBe(1800);
    expect(settings.guest).toEqual({
      userEntityRef: 'user:default/guest',
      ownershipEntityRefs: ['user:default/guest', 'group:default/guests'],
      dangerouslyAllowOutsideDevelopment: true,
    });
  });

  it('refuses bad values, naming the key', () => {
    expect(() =>
      readAuthSettings(config({ auth: { providers: { guest: { userEntityRef: 'guest' } } } }), {}),
    ).toThrow('auth.providers.guest.userEntityRef');
    expect(() =>
      readAuthSettings(
        config({ auth: { providers: { guest: { ownershipEntityRefs: ['user:default/a', 'nope'] } } } }),
        {},
      ),
    ).toThrow('auth.providers.guest.ownershipEntityRefs[1]');
    expect(() =>
      readAuthSettings(
        config({ auth: { providers: { guest: { dangerouslyAllowOutsideDevelopment: 'yes' } } } }),
        {},
      ),
    ).toThrow('auth.providers.guest.dangerouslyAllowOutsideDevelopment');
    expect(() =>
      readAuthSettings(config({ auth: { backstageTokenExpiration: { minutes: 1 } } }), {}),
    ).toThrow('auth.backstageTokenExpiration');
    expect(() => readAuthSettings(config({ auth: { providers: { guest: null } } }), {})).toThrow(
      'auth.providers.guest',
    );
  });
});

describe('authConfigSchema', () => {
  it('accepts Backstage-shaped auth config, including other providers', () => {
    expect(() =>
      validateConfig(
        config({
          auth: {
            environment: 'development',
            providers: {
              guest: { userEntityRef: 'user:default/guest', dangerouslyAllowOutsideDevelopment: false },
              github: { development: { clientId: 'x', clientSecret: 'y' } },
            },
          },
        }),
        [platformConfigSchema, authConfigSchema],
      ),
    ).not.toThrow();
  });

  it('names the bad key', () => {
    expect(() =>
      validateConfig(
        config({
          auth: { providers: { guest: { userEntityRef: 'guest', dangerouslyAllowOutsideDevelopmnt: true } } },
        }),
        [authConfigSchema],
      ),
    ).toThrow(/auth\.providers\.guest\.dangerouslyAllowOutsideDevelopmnt is not a known key/);
    expect(() =>
      validateConfig(config({ auth: { providers: { guest: { userEntityRef: 'guest' } } } }), [
        authConfigSchema,
      ]),
    ).toThrow(/auth\.providers\.guest\.userEntityRef must match pattern/);
  });
});
