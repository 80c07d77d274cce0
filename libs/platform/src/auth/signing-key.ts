import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** The one signature algorithm the portal issues and accepts. */
export const TOKEN_ALGORITHM = 'ES256';

/** A public signing key as published in a JWKS: always with `kid`, `alg` and `use`. */
export interface PublicSigningJwk extends JWK {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof TOKEN_ALGORITHM;
  use: 'sig';
}

export interface SignOptions {
  /** The `typ` header, e.g. `vnd.backstage.user` or `vnd.backstage.plugin`. */
  typ: string;
  /** Lifetime; `exp` becomes `iat + expiresInSeconds`. */
  expiresInSeconds: number;
  /** `iat` in seconds since the epoch; the current time by default. */
  issuedAt?: number;
}

/**
 * An ES256 key pair with a random key id. The private half never leaves this object: the key is
 * generated extractable only so that its public half can be exported as a JWK.
 */
export class SigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly jwk: PublicSigningJwk,
  ) {}

  /** Generates a fresh key pair. Every process calls this once at start. */
  static async generate(options: { kid?: string } = {}): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
    return SigningKey.fromKeyPair({ privateKey, publicKey, kid: options.kid });
  }

  /** Wraps an existing ES256 key pair (for example one loaded from a secret store). */
  static async fromKeyPair(pair: {
    privateKey: CryptoKey;
    publicKey: CryptoKey;
    kid?: string;
  }): Promise<SigningKey> {
    const kid = pair.kid ?? randomUUID();
    const exported = await exportJWK(pair.publicKey);
    if (exported.kty !== 'EC' || exported.crv !== 'P-256' || !exported.x || !exported.y || exported.d) {
      throw new TypeError('SigningKey needs an ES256 (EC P-256) key pair');
    }
    const jwk: PublicSigningJwk = {
      kty: 'EC',
      crv: 'P-256',
      x: exported.x,
      y: exported.y,
      kid,
      alg: TOKEN_ALGORITHM,
      use: 'sig',
    };
    return new SigningKey(kid, pair.privateKey, jwk);
  }

  /** The public JWK (a copy), ready for a JWKS or a discovery registration. */
  publicJwk(): PublicSigningJwk {
    return { ...this.jwk };
  }

  /** Signs `claims` as a compact JWT with header `{alg: 'ES256', kid, typ}` and sets `iat` and `exp`. */
  async sign(claims: JWTPayload, options: SignOptions): Promise<string> {
    const iat = options.issuedAt ?? Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: this.kid, typ: options.typ })
      .setIssuedAt(iat)
      .setExpirationTime(iat + options.expiresInSeconds)
      .sign(this.privateKey);
  }
}
