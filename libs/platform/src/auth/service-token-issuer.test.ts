import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { InputError } from '../errors/errors.js';
import { ServiceTokenIssuer } from './service-token-issuer.js';
import { SigningKey } from './signing-key.js';

describe('ServiceTokenIssuer', () => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await SigningKey.generate();
  });

  it('issues a short-lived vnd.backstage.plugin token from this plugin to the target', async () => {
    const issuer = new ServiceTokenIssuer('scaffolder', key);
    const token = await issuer.issue('catalog');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.kid, typ: 'vnd.backstage.plugin' });
    const { payload } = await jwtVerify(token, await importJWK(key.publicJwk(), 'ES256'), {
      audience: 'catalog',
      typ: 'vnd.backstage.plugin',
    });
    expect(payload.sub).toBe('scaffolder');
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload).not.toHaveProperty('obo');
  });

  it('reuses a token per audience until two minutes before it expires', async () => {
    let now = 1_700_000_000_000;
    const issuer = new ServiceTokenIssuer('scaffolder', key, { now: () => now });
    const first = await issuer.issue('catalog');
    expect(await issuer.issue('catalog')).toBe(first);
    const search = await issuer.issue('search');
    expect(search).not.toBe(first);
    expect(decodeJwt(search).aud).toBe('search');

    now += 7 * 60 * 1000 + 59_000; // 2:01 before expiry
    expect(await issuer.issue('catalog')).toBe(first);
    now += 2_000; // 1:59 before expiry
    const second = await issuer.issue('catalog');
    expect(second).not.toBe(first);
    expect(decodeJwt(second).iat).toBe(Math.floor(now / 1000));
  });

  it('shares one signing between concurrent callers', async () => {
    const issuer = new ServiceTokenIssuer('scaffolder', key);
    const tokens = await Promise.all([
      issuer.issue('permission'),
      issuer.issue('permission'),
      issuer.issue('permission'),
    ]);
    expect(new Set(tokens).size).toBe(1);
  });

  it('carries obo, is never cached, and never outlives the user token', async () => {
    const now = Date.now();
    const issuer = new ServiceTokenIssuer('scaffolder', key, { now: () => now });
    const userKey = await SigningKey.generate();
    const longUser = await userKey.sign(
      { sub: 'user:default/jane' },
      { typ: 'vnd.backstage.user', expiresInSeconds: 3600 },
    );
    const shortUser = await userKey.sign(
      { sub: 'user:default/jane' },
      { typ: 'vnd.backstage.user', expiresInSeconds: 30 },
    );

    const a = await issuer.issue('catalog', { onBehalfOf: longUser });
    expect(decodeJwt(a).obo).toBe(longUser);
    expect(decodeJwt(a).exp! - decodeJwt(a).iat!).toBe(600);
    expect(await issuer.issue('catalog')).not.toBe(a);

    const b = await issuer.issue('catalog', { onBehalfOf: shortUser });
    expect(decodeJwt(b).exp).toBe(decodeJwt(shortUser).exp);
  });

  it('refuses an obo that is not a live user token', async () => {
    const issuer = new ServiceTokenIssuer('scaffolder', key);
    await expect(issuer.issue('catalog', { onBehalfOf: 'garbage' })).rejects.toThrow(InputError);
    const expired = await key.sign(
      { sub: 'user:default/jane' },
      { typ: 'vnd.backstage.user', expiresInSeconds: -5 },
    );
    await expect(issuer.issue('catalog', { onBehalfOf: expired })).rejects.toThrow('expired');
    await expect(issuer.issue('')).rejects.toThrow(InputError);
  });
});
