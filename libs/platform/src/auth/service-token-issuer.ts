import { decodeJwt } from 'jose';
import { InputError } from '../errors/errors.js';
import { TOKEN_TYPES } from './principal.js';
import type { SigningKey } from './signing-key.js';

export interface ServiceTokenIssuerOptions {
  /** Token lifetime; 10 minutes by default. */
  expiresInSeconds?: number;
  /** A cached token is reused until this close to its expiry; 2 minutes by default. */
  renewBeforeSeconds?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

export interface IssueServiceTokenOptions {
  /** A user token: the call is made on behalf of that user (`obo` claim). */
  onBehalfOf?: string;
}

interface CachedToken {
  token: Promise<string>;
  exp: number;
}

/**
 * Issues the service tokens a plugin sends to other plugins: `typ: vnd.backstage.plugin`,
 * `sub` = own plugin id, `aud` = target plugin id, short-lived, signed with the instance's key
 * (whose public half the instance registered with discovery).
 */
export class ServiceTokenIssuer {
  private readonly expiresInSeconds: number;
  private readonly renewBeforeSeconds: number;
  private readonly now: () => number;
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    readonly pluginId: string,
    private readonly key: SigningKey,
    options: ServiceTokenIssuerOptions = {},
  ) {
    this.expiresInSeconds = options.expiresInSeconds ?? 600;
    this.renewBeforeSeconds = options.renewBeforeSeconds ?? 120;
    this.now = options.now ?? Date.now;
    if (this.renewBeforeSeconds >= this.expiresInSeconds) {
      throw new InputError('ServiceTokenIssuer: renewBeforeSeconds must be shorter than expiresInSeconds');
    }
  }

  /**
   * A token for calls to `targetPluginId`. Tokens without `obo` are cached per audience; tokens on
   * behalf of a user are made per call and never outlive the user token they carry.
   */
  async issue(targetPluginId: string, options: IssueServiceTokenOptions = {}): Promise<string> {
    if (!targetPluginId) throw new InputError('A service token needs a target plugin id');
    const iat = Math.floor(this.now() / 1000);

    if (options.onBehalfOf !== undefined) {
      const userExp = expiryOf(options.onBehalfOf);
      const exp = Math.min(iat + this.expiresInSeconds, userExp);
      if (exp <= iat) throw new InputError('The user token to act on behalf of has expired');
      return this.sign(targetPluginId, iat, exp, options.onBehalfOf);
    }

    const cached = this.cache.get(targetPluginId);
    if (cached && cached.exp - this.renewBeforeSeconds > iat) return cached.token;

    const exp = iat + this.expiresInSeconds;
    const token = this.sign(targetPluginId, iat, exp);
    const entry = { token, exp };
    this.cache.set(targetPluginId, entry);
    token.catch(() => {
      if (this.cache.get(targetPluginId) === entry) this.cache.delete(targetPluginId);
    });
    return token;
  }

  private sign(aud: string, iat: number, exp: number, obo?: string): Promise<string> {
    return this.key.sign(
      { sub: this.pluginId, aud, ...(obo !== undefined ? { obo } : {}) },
      { typ: TOKEN_TYPES.plugin, issuedAt: iat, expiresInSeconds: exp - iat },
    );
  }
}

function expiryOf(userToken: string): number {
  let exp: unknown;
  try {
    exp = decodeJwt(userToken).exp;
  } catch {
    throw new InputError('onBehalfOf must be a user token');
  }
  if (typeof exp !== 'number') throw new InputError('onBehalfOf must be a user token with an expiry');
  return exp;
}
