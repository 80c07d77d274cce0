import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  base64url,
  createLocalJWKSet,
  createRemoteJWKSet,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { Config } from '../config/config.js';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '../errors/errors.js';
import { PublicKeyStore } from './public-key-store.js';
import { ServiceTokenIssuer } from './service-token-issuer.js';
import { SigningKey } from './signing-key.js';
import { extractBearerToken, TokenVerifier, type UserKeyResolver } from './token-verifier.js';

const ISSUER = 'http://portal.test/api/auth';
const STATIC_TOKEN = 'static-token-0123456789';

let userKey: SigningKey;
let strangerKey: SigningKey;
let scaffolderKey: SigningKey;
let searchKey: SigningKey;
let serviceKeys: PublicKeyStore;
let userKeys: UserKeyResolver;
let verifier: TokenVerifier;

function userClaims(extra: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    sub: 'user:default/jane',
    ent: ['user:default/jane', 'group:default/team-a'],
    aud: 'backstage',
    ...extra,
  };
}
function userToken(
  extra: JWTPayload = {},
  key = userKey,
  typ = 'vnd.backstage.user',
  expiresInSeconds = 3600,
): Promise<string> {
  return key.sign(userClaims(extra), { typ, expiresInSeconds });
}
function segment(value: object): string {
  return base64url.encode(JSON.stringify(value));
}
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
async function expectAuthError(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(AuthenticationError);
  expect(err.message).toMatch(message);
}

beforeAll(async () => {
  [userKey, strangerKey, scaffolderKey, searchKey] = await Promise.all([
    recordedKey(),
    recordedKey(),
    recordedKey(),
    recordedKey(),
  ]);
  serviceKeys = new PublicKeyStore();
  serviceKeys.set('scaffolder', 'scaffolder-1', JSON.stringify(scaffolderKey.publicJwk()));
  serviceKeys.set('search', 'search-1', JSON.stringify(searchKey.publicJwk()));
  userKeys = createLocalJWKSet({ keys: [userKey.publicJwk()] });
  verifier = new TokenVerifier({
    pluginId: 'catalog',
    userKeys,
    issuer: ISSUER,
    serviceKeys,
    externalAccess: [
      { token: STATIC_TOKEN, subject: 'ci-bot' },
      { token: 'restricted-token-123', subject: 'docs-bot', accessRestrictions: [{ plugin: 'techdocs' }] },
    ],
  });
});

describe('TokenVerifier: user tokens', () => {
  it('accepts a valid user token', async () => {
    const token = await userToken();
    await expect(verifier.verify(token)).resolves.toEqual({
      type: 'user',
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
      token,
    });
  });

  it('accepts limited-user tokens and legacy tokens without typ', async () => {
    const limited = await userToken({}, userKey, 'vnd.backstage.limited-user');
    expect(await verifier.verify(limited)).toMatchObject({
      type: 'user',
      userEntityRef: 'user:default/jane',
    });
    const legacy = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', kid: userKey.kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(await privateKeyOf(userKey));
    expect(await verifier.verify(legacy)).toMatchObject({ type: 'user' });
  });

  it('refuses a token with alg none', async () => {
    const token = `${segment({ alg: 'none', typ: 'vnd.backstage.user', kid: userKey.kid })}.${segment({
      ...userClaims(),
      exp: Math.floor(Date.now() / 1000) + 3600,
    })}.`;
    await expectAuthError(verifier.verify(token), "algorithm 'none' is not allowed");
    // Also with a signature segment that is not empty.
    await expectAuthError(verifier.verify(`${token}c2ln`), "algorithm 'none' is not allowed");
  });

  it('refuses HS256 tokens, also keyed with the public key (algorithm confusion)', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const secret = new TextEncoder().encode(JSON.stringify(userKey.publicJwk()));
    const token = await new SignJWT({ ...userClaims(), exp })
      .setProtectedHeader({ alg: 'HS256', kid: userKey.kid, typ: 'vnd.backstage.user' })
      .sign(secret);
    await expectAuthError(verifier.verify(token), "algorithm 'HS256' is not allowed");
    const service = await new SignJWT({ sub: 'scaffolder', aud: 'catalog', exp })
      .setProtectedHeader({ alg: 'HS256', kid: scaffolderKey.kid, typ: 'vnd.backstage.plugin' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    await expectAuthError(verifier.verify(service), "algorithm 'HS256' is not allowed");
  });

  it('refuses other asymmetric algorithms (ES384, RS256)', async () => {
    const es384 = await generateKeyPair('ES384');
    const token = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES384', kid: userKey.kid, typ: 'vnd.backstage.user' })
      .setExpirationTime('1h')
      .sign(es384.privateKey);
    await expectAuthError(verifier.verify(token), "algorithm 'ES384' is not allowed");
  });

  it('refuses an unknown kid', async () => {
    await expectAuthError(verifier.verify(await userToken({}, strangerKey)), 'unknown signing key');
  });

  it('refuses a token whose kid names a known key but which another key signed', async () => {
    const forged = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', kid: userKey.kid, typ: 'vnd.backstage.user' })
      .setExpirationTime('1h')
      .sign(await privateKeyOf(strangerKey));
    await expectAuthError(verifier.verify(forged), 'signature verification failed');
  });

  it('refuses a tampered payload (bad signature)', async () => {
    const [header, , signature] = (await userToken()).split('.');
    const payload = segment({
      ...userClaims({ sub: 'user:default/admin', ent: ['group:default/admins'] }),
      exp: 9999999999,
    });
    await expectAuthError(
      verifier.verify(`${header}.${payload}.${signature}`),
      'signature verification failed',
    );
  });

  it('refuses an expired token, and one without exp', async () => {
    await expectAuthError(
      verifier.verify(await userToken({}, userKey, 'vnd.backstage.user', -60)),
      'expired',
    );
    const noExp = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', kid: userKey.kid, typ: 'vnd.backstage.user' })
      .sign(await privateKeyOf(userKey));
    await expectAuthError(verifier.verify(noExp), "missing 'exp' claim");
  });

  it('refuses a token that is not valid yet (nbf)', async () => {
    const token = await userToken({ nbf: Math.floor(Date.now() / 1000) + 600 });
    await expectAuthError(verifier.verify(token), 'not valid yet');
  });

  it('refuses a user token with the wrong audience, or none', async () => {
    await expectAuthError(verifier.verify(await userToken({ aud: 'catalog' })), "invalid 'aud' claim");
    await expectAuthError(verifier.verify(await userToken({ aud: undefined })), "'aud' claim");
  });

  it('refuses a user token from another issuer when an issuer is configured', async () => {
    await expectAuthError(
      verifier.verify(await userToken({ iss: 'http://evil.test/api/auth' })),
      "invalid 'iss' claim",
    );
    const lenient = new TokenVerifier({ pluginId: 'catalog', userKeys, serviceKeys });
    expect(await lenient.verify(await userToken({ iss: 'http://other.test/api/auth' }))).toMatchObject({
      type: 'user',
    });
  });

  it('refuses user tokens without sub or a proper ent', async () => {
    await expectAuthError(verifier.verify(await userToken({ sub: undefined })), "missing 'sub' claim");
    await expectAuthError(verifier.verify(await userToken({ ent: undefined })), "'ent' must be an array");
    await expectAuthError(
      verifier.verify(await userToken({ ent: ['group:default/a', 3] })),
      "'ent' must be an array",
    );
  });

  it('refuses a token with a missing kid', async () => {
    const token = await new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', typ: 'vnd.backstage.user' })
      .setExpirationTime('1h')
      .sign(await privateKeyOf(userKey));
    await expectAuthError(verifier.verify(token), 'missing key id');
  });

  it('refuses unknown token types', async () => {
    await expectAuthError(verifier.verify(await userToken({}, userKey, 'JWT')), "unknown token type 'JWT'");
  });

  it('refuses malformed tokens', async () => {
    const valid = await userToken();
    const [h, p] = valid.split('.');
    const cases = [
      'abc',
      'a.b.c',
      '..',
      `${h}.${p}`,
      `${h}.${p}.sig.extra.parts`,
      `${segment({ alg: 'ES256', kid: userKey.kid })}.not-base64-json!.sig`,
      `${segment({ alg: 'ES256', kid: userKey.kid })}.${p}.%%%`,
      `x${valid}`,
    ];
    for (const token of cases) {
      await expectAuthError(verifier.verify(token), /^(Invalid token|Invalid user token)/);
    }
    await expectAuthError(verifier.verify('a'.repeat(40_000)), 'too long');
    await expectAuthError(verifier.verify(''), 'Missing credentials');
  });

  it('reports a key set that cannot be loaded as unavailable, not as a bad token', async () => {
    const broken = new TokenVerifier({
      pluginId: 'catalog',
      userKeys: async () => {
        throw new TypeError('fetch failed');
      },
      serviceKeys,
    });
    const err = await rejection(broken.verify(await userToken()));
    expect(err).toBeInstanceOf(ServiceUnavailableError);
  });

  it('verifies user tokens against the gateway JWKS over HTTP (createRemoteJWKSet)', async () => {
    const server: Server = createServer((req, res) => {
      if (req.url === '/api/auth/.well-known/jwks.json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [userKey.publicJwk()] }));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const remote = new TokenVerifier({
        pluginId: 'catalog',
        userKeys: createRemoteJWKSet(new URL(`http://127.0.0.1:${port}/api/auth/.well-known/jwks.json`)),
        issuer: ISSUER,
        serviceKeys,
      });
      expect(await remote.verify(await userToken())).toMatchObject({
        type: 'user',
        userEntityRef: 'user:default/jane',
      });
      await expectAuthError(remote.verify(await userToken({}, strangerKey)), 'unknown signing key');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('TokenVerifier: service tokens', () => {
  it('accepts a valid service token addressed to this plugin', async () => {
    const token = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('catalog');
    expect(await verifier.verify(token)).toEqual({
      type: 'service',
      subject: 'plugin:scaffolder',
      pluginId: 'scaffolder',
    });
  });

  it('verifies the on-behalf-of user token it carries', async () => {
    const user = await userToken();
    const token = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('catalog', {
      onBehalfOf: user,
    });
    expect(await verifier.verify(token)).toEqual({
      type: 'service',
      subject: 'plugin:scaffolder',
      pluginId: 'scaffolder',
      onBehalfOf: {
        type: 'user',
        userEntityRef: 'user:default/jane',
        ownershipEntityRefs: expect.any(Array),
        token: user,
      },
    });
    const forgedUser = await userToken({}, strangerKey);
    const withForged = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('catalog', {
      onBehalfOf: forgedUser,
    });
    await expectAuthError(verifier.verify(withForged), 'on-behalf-of user token rejected');
  });

  it('refuses a service token for another plugin (wrong aud)', async () => {
    const token = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('search');
    await expectAuthError(verifier.verify(token), "invalid 'aud' claim");
    // ...which is exactly what the target plugin (or the gateway on its behalf) accepts.
    expect(await verifier.verify(token, undefined, { audience: 'search' })).toMatchObject({
      pluginId: 'scaffolder',
    });
  });

  it('refuses a service token whose sub has no registered key', async () => {
    const token = await new ServiceTokenIssuer('intruder', strangerKey).issue('catalog');
    await expectAuthError(verifier.verify(token), /no key '.*' is registered for plugin 'intruder'/);
  });

  it('refuses a plugin signing as another plugin', async () => {
    // search's own key, but claiming to be scaffolder.
    const token = await new ServiceTokenIssuer('scaffolder', searchKey).issue('catalog');
    await expectAuthError(verifier.verify(token), "is registered for plugin 'scaffolder'");
  });

  it('refuses expired and tampered service tokens', async () => {
    const expired = await new ServiceTokenIssuer('scaffolder', scaffolderKey, {
      now: () => Date.now() - 3600_000,
    }).issue('catalog');
    await expectAuthError(verifier.verify(expired), 'expired');
    const [h, , s] = (await new ServiceTokenIssuer('search', searchKey).issue('catalog')).split('.');
    const tampered = `${h}.${segment({ sub: 'search', aud: 'catalog', exp: 9999999999, iat: 1 })}.${s}`;
    await expectAuthError(verifier.verify(tampered), 'signature verification failed');
  });

  it('refuses a service token without exp or with a bad sub', async () => {
    const noExp = await new SignJWT({ sub: 'scaffolder', aud: 'catalog' })
      .setProtectedHeader({ alg: 'ES256', kid: scaffolderKey.kid, typ: 'vnd.backstage.plugin' })
      .sign(await privateKeyOf(scaffolderKey));
    await expectAuthError(verifier.verify(noExp), "missing 'exp' claim");
    const badSub = await scaffolderKey.sign(
      { sub: '../scaffolder', aud: 'catalog' },
      { typ: 'vnd.backstage.plugin', expiresInSeconds: 60 },
    );
    await expectAuthError(verifier.verify(badSub), 'invalid subject');
  });
});

describe('TokenVerifier: who is allowed where', () => {
  it('refuses a service token where only users are allowed', async () => {
    const token = await new ServiceTokenIssuer('scaffolder', scaffolderKey).issue('catalog');
    await expectAuthError(verifier.verify(token, ['user']), 'Service tokens are not accepted here');
  });

  it('refuses a user token where only services are allowed', async () => {
    await expectAuthError(
      verifier.verify(await userToken(), ['service']),
      'User tokens are not accepted here',
    );
  });

  it('refuses a user token presented as a service token (typ switched, signature breaks)', async () => {
    const [, p, s] = (await userToken()).split('.');
    const token = `${segment({ alg: 'ES256', kid: userKey.kid, typ: 'vnd.backstage.plugin' })}.${p}.${s}`;
    await expectAuthError(verifier.verify(token), /Invalid service token|signature/);
  });

  it('refuses static tokens where external callers are not allowed', async () => {
    await expectAuthError(
      verifier.verify(STATIC_TOKEN, ['user', 'service']),
      'External access tokens are not accepted here',
    );
  });
});

describe('TokenVerifier: static external access', () => {
  it('accepts a configured static token as external:<subject>', async () => {
    expect(await verifier.verify(STATIC_TOKEN)).toEqual({ type: 'external', subject: 'external:ci-bot' });
  });

  it('refuses near misses', async () => {
    for (const token of [`${STATIC_TOKEN}x`, STATIC_TOKEN.slice(0, -1), STATIC_TOKEN.toUpperCase()]) {
      await expectAuthError(verifier.verify(token), 'Invalid token: malformed');
    }
  });

  it('honours access restrictions by plugin', async () => {
    const err = await rejection(verifier.verify('restricted-token-123'));
    expect(err).toBeInstanceOf(NotAllowedError);
    expect(err.message).toContain("'techdocs'");
    expect(await verifier.verify('restricted-token-123', undefined, { audience: 'techdocs' })).toEqual({
      type: 'external',
      subject: 'external:docs-bot',
    });
  });

  it('reads backend.auth.externalAccess', () => {
    const config = Config.fromObject({
      backend: {
        auth: {
          externalAccess: [
            { type: 'static', options: { token: 'abcdefgh1234', subject: 'ci' } },
            {
              type: 'static',
              options: { token: 'zyxwvuts9876', subject: 'docs' },
              accessRestrictions: [{ plugin: 'techdocs' }],
            },
          ],
        },
      },
    });
    expect(TokenVerifier.externalAccessFromConfig(config)).toEqual([
      { token: 'abcdefgh1234', subject: 'ci' },
      { token: 'zyxwvuts9876', subject: 'docs', accessRestrictions: [{ plugin: 'techdocs' }] },
    ]);
    expect(TokenVerifier.externalAccessFromConfig(Config.fromObject({}))).toEqual([]);
  });

  it('refuses external access config it cannot honour, naming the key', () => {
    const read = (entry: Record<string, unknown>) =>
      TokenVerifier.externalAccessFromConfig(
        Config.fromObject({ backend: { auth: { externalAccess: [entry as never] } } }),
      );
    expect(() => read({ type: 'legacy', options: { secret: 'abc' } })).toThrow(
      "Unsupported external access type 'legacy' at 'backend.auth.externalAccess[0].type'",
    );
    expect(() => read({ type: 'static', options: { token: 'short', subject: 'ci' } })).toThrow(
      'backend.auth.externalAccess[0].options.token',
    );
    expect(() => read({ type: 'static', options: { token: 'has a space', subject: 'ci' } })).toThrow(
      InputError,
    );
    expect(() => read({ type: 'static', options: { subject: 'ci' } })).toThrow(
      "Missing required config value at 'backend.auth.externalAccess[0].options.token'",
    );
    expect(() =>
      read({
        type: 'static',
        options: { token: 'abcdefgh1234', subject: 'ci' },
        accessRestrictions: [{ plugin: 'catalog', permission: 'catalog.entity.read' }],
      }),
    ).toThrow('not supported');
    expect(() =>
      TokenVerifier.externalAccessFromConfig(
        Config.fromObject({
          backend: {
            auth: {
              externalAccess: [
                { type: 'static', options: { token: 'abcdefgh1234', subject: 'a' } },
                { type: 'static', options: { token: 'abcdefgh1234', subject: 'b' } },
              ],
            },
          },
        }),
      ),
    ).toThrow('Duplicate static token');
  });
});

describe('extractBearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(extractBearerToken(header)).toBe(token);
  });

  it.each([
    [undefined],
    [''],
    ['Bearer'],
    ['Bearer '],
    ['Bearer a b'],
    ['Basic dXNlcjpwYXNz'],
    ['Bearerabc'],
    ['Token abc'],
    ['Bearer\tabc'],
  ])('finds no token in %j', (header) => {
    expect(extractBearerToken(header)).toBeUndefined();
  });
});

/** The private key of a SigningKey, to hand-build tokens the class itself would never produce. */
const privateKeys = new WeakMap<SigningKey, CryptoKey>();
async function recordedKey(): Promise<SigningKey> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const key = await SigningKey.fromKeyPair(pair);
  privateKeys.set(key, pair.privateKey);
  return key;
}
async function privateKeyOf(key: SigningKey): Promise<CryptoKey> {
  const known = privateKeys.get(key);
  if (known) return known;
  throw new Error(`no private key recorded for ${key.kid}`);
}
