import { createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { InputError, PublicKeyStore, SigningKey, TokenVerifier } from '@portal/platform';
import { UserTokenIssuer } from './user-token-issuer.js';

const ISSUER = 'http://localhost:7007/api/auth';

describe('UserTokenIssuer', () => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await SigningKey.generate();
  });

  it('issues a Backstage user token: typ vnd.backstage.user, iss, sub, ent, aud, iat, exp', async () => {
    const issuer = new UserTokenIssuer(key, { issuer: ISSUER });
    const before = Math.floor(Date.now() / 1000);
    const token = await issuer.issue({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/team-a'],
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.kid, typ: 'vnd.backstage.user' });
    const claims = decodeJwt(token);
    expect(Object.keys(claims).sort()).toEqual(['aud', 'ent', 'exp', 'iat', 'iss', 'sub']);
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: 'user:default/jane',
      ent: ['user:default/jane', 'group:default/team-a'],
      aud: 'backstage',
    });
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(issuer.expiresInSeconds).toBe(3600);
  });

  it('uses the configured lifetime', async () => {
    const token = await new UserTokenIssuer(key, { issuer: ISSUER, expiresInSeconds: 900 }).issue({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: [],
    });
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(() => new UserTokenIssuer(key, { issuer: ISSUER, expiresInSeconds: 0 })).toThrow(InputError);
  });

  it('issues tokens the platform verifier accepts as users (and only with the right issuer)', async () => {
    const token = await new UserTokenIssuer(key, { issuer: ISSUER }).issue({
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: ['user:development/guest'],
    });
    const common = {
      pluginId: 'catalog',
      userKeys: createLocalJWKSet({ keys: [key.publicJwk()] }),
      serviceKeys: new PublicKeyStore(),
    };
    expect(await new TokenVerifier({ ...common, issuer: ISSUER }).verify(token, ['user'])).toEqual({
      type: 'user',
      userEntityRef: 'user:development/guest',
      ownershipEntityRefs: ['user:development/guest'],
      token,
    });
    await expect(
      new TokenVerifier({ ...common, issuer: 'http://elsewhere/api/auth' }).verify(token),
    ).rejects.toThrow("invalid 'iss' claim");
  });

  it('refuses refs that are not kind:namespace/name', async () => {
    const issuer = new UserTokenIssuer(key, { issuer: ISSUER });
    await expect(issuer.issue({ userEntityRef: 'jane', ownershipEntityRefs: [] })).rejects.toThrow(
      InputError,
    );
    await expect(
      issuer.issue({ userEntityRef: 'user:default/jane', ownershipEntityRefs: ['group:a b/c'] }),
    ).rejects.toThrow("Invalid ownership entity ref 'group:a b/c'");
  });
});
