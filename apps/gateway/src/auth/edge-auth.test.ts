import { base64url, createLocalJWKSet } from 'jose';
import {
  AuthenticationError,
  PublicKeyStore,
  ServiceTokenIssuer,
  SigningKey,
  TokenVerifier,
} from '@portal/platform';
import { EdgeAuth } from './edge-auth.js';
import { UserTokenIssuer } from './user-token-issuer.js';

const ISSUER = 'http://localhost:7007/api/auth';
let edge: EdgeAuth;
let userKey: SigningKey;
let userTokens: UserTokenIssuer;
let scaffolderTokens: ServiceTokenIssuer;
const jane = { userEntityRef: 'user:default/jane', ownershipEntityRefs: ['user:default/jane'] };

beforeAll(async () => {
  userKey = await SigningKey.generate();
  const scaffolderKey = await SigningKey.generate();
  const serviceKeys = new PublicKeyStore();
  serviceKeys.set('scaffolder', 'scaffolder-1', JSON.stringify(scaffolderKey.publicJwk()));
  edge = new EdgeAuth(
    new TokenVerifier({
      pluginId: 'gateway',
      userKeys: createLocalJWKSet({ keys: [userKey.publicJwk()] }),
      issuer: ISSUER,
      serviceKeys,
      externalAccess: [{ token: 'ci-token-123456', subject: 'ci' }],
    }),
  );
  userTokens = new UserTokenIssuer(userKey, { issuer: ISSUER });
  scaffolderTokens = new ServiceTokenIssuer('scaffolder', scaffolderKey);
});

async function refused(header: string, target?: string): Promise<string> {
  try {
    await edge.check(header, target);
  } catch (err) {
    expect(err).toBeInstanceOf(AuthenticationError);
    return (err as Error).message;
  }
  throw new Error(`expected ${header.slice(0, 40)} to be refused`);
}

describe('EdgeAuth', () => {
  it('leaves requests without credentials to the plugin', async () => {
    await expect(edge.check(undefined, 'catalog')).resolves.toBeUndefined();
  });

  it('passes valid user, service and static tokens through with their principal', async () => {
    const user = await userTokens.issue(jane);
    expect(await edge.check(`Bearer ${user}`, 'catalog')).toMatchObject({
      type: 'user',
      userEntityRef: 'user:default/jane',
    });
    const service = await scaffolderTokens.issue('catalog');
    expect(await edge.check(`Bearer ${service}`, 'catalog')).toMatchObject({
      type: 'service',
      pluginId: 'scaffolder',
    });
    expect(await edge.check('Bearer ci-token-123456', 'catalog')).toEqual({
      type: 'external',
      subject: 'external:ci',
    });
  });

  it('refuses other schemes and malformed headers', async () => {
    expect(await refused('Basic dXNlcjpwYXNz')).toContain('expected a Bearer token');
    expect(await refused('Bearer')).toContain('expected a Bearer token');
    expect(await refused('')).toContain('expected a Bearer token');
    expect(await refused('Bearer not.a.jwt')).toMatch(/Invalid token/);
  });

  it('refuses alg none', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const header = base64url.encode(
      JSON.stringify({ alg: 'none', kid: userKey.kid, typ: 'vnd.backstage.user' }),
    );
    const payload = base64url.encode(
      JSON.stringify({ iss: ISSUER, sub: 'user:default/admin', ent: [], aud: 'backstage', exp }),
    );
    expect(await refused(`Bearer ${header}.${payload}.`)).toContain("algorithm 'none'");
  });

  it('refuses an unknown kid', async () => {
    const stranger = new UserTokenIssuer(await SigningKey.generate(), { issuer: ISSUER });
    expect(await refused(`Bearer ${await stranger.issue(jane)}`)).toContain('unknown signing key');
  });

  it('refuses a bad signature', async () => {
    const [h, , s] = (await userTokens.issue(jane)).split('.');
    const payload = base64url.encode(
      JSON.stringify({
        iss: ISSUER,
        sub: 'user:default/admin',
        ent: ['group:default/admins'],
        aud: 'backstage',
        exp: 9999999999,
      }),
    );
    expect(await refused(`Bearer ${h}.${payload}.${s}`)).toContain('signature verification failed');
  });

  it('refuses an expired token', async () => {
    const token = await userKey.sign(
      { iss: ISSUER, sub: 'user:default/jane', ent: [], aud: 'backstage' },
      { typ: 'vnd.backstage.user', expiresInSeconds: -30 },
    );
    expect(await refused(`Bearer ${token}`)).toContain('expired');
  });

  it('refuses the wrong audience: user tokens not for backstage, service tokens for another plugin', async () => {
    const user = await userKey.sign(
      { iss: ISSUER, sub: 'user:default/jane', ent: [], aud: 'catalog' },
      { typ: 'vnd.backstage.user', expiresInSeconds: 60 },
    );
    expect(await refused(`Bearer ${user}`, 'catalog')).toContain("'aud'");
    const service = await scaffolderTokens.issue('search');
    expect(await refused(`Bearer ${service}`, 'catalog')).toContain("'aud'");
    expect(await refused(`Bearer ${service}`)).toContain("'aud'");
    expect(await edge.check(`Bearer ${service}`, 'search')).toMatchObject({ type: 'service' });
  });
});
