import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { SigningKey } from './signing-key.js';

describe('SigningKey', () => {
  it('publishes only the public half, with kid, alg and use', async () => {
    const key = await SigningKey.generate();
    const jwk = key.publicJwk();
    expect(jwk).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: key.kid,
      alg: 'ES256',
      use: 'sig',
    });
    expect(jwk).not.toHaveProperty('d');
    expect(key.kid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives every key its own kid', async () => {
    const [a, b] = await Promise.all([SigningKey.generate(), SigningKey.generate()]);
    expect(a.kid).not.toBe(b.kid);
  });

  it('signs an ES256 JWT with {alg, kid, typ} that verifies against the public JWK', async () => {
    const key = await SigningKey.generate({ kid: 'k1' });
    const token = await key.sign(
      { sub: 'user:default/jane', aud: 'backstage' },
      { typ: 'vnd.backstage.user', expiresInSeconds: 60 },
    );
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'k1', typ: 'vnd.backstage.user' });
    const { payload } = await jwtVerify(token, await importJWK(key.publicJwk(), 'ES256'));
    expect(payload.sub).toBe('user:default/jane');
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('uses the given issuedAt', async () => {
    const key = await SigningKey.generate();
    const token = await key.sign({}, { typ: 'x', expiresInSeconds: 10, issuedAt: 1000 });
    const other = await SigningKey.generate();
    await expect(jwtVerify(token, await importJWK(other.publicJwk(), 'ES256'))).rejects.toThrow(
      'signature verification failed',
    );
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
      string,
      number
    >;
    expect(payload).toEqual({ iat: 1000, exp: 1010 });
  });
});
