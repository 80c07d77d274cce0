import { createHash, timingSafeEqual } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type CryptoKey,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type JWTPayload,
  type KeyObject,
  type ProtectedHeaderParameters,
} from 'jose';
import type { Config } from '../config/config.js';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '../errors/errors.js';
import {
  TOKEN_TYPES,
  type ExternalPrincipal,
  type Principal,
  type PrincipalType,
  type ServicePrincipal,
  type UserPrincipal,
} from './principal.js';
import type { PublicKeyStore } from './public-key-store.js';
import { TOKEN_ALGORITHM } from './signing-key.js';

/**
 * Finds the key for a user token's header, the way jose's key sets do: for plugins
 * `createRemoteJWKSet(new URL('<gatewayUrl>/api/auth/.well-known/jwks.json'))`, for the gateway a
 * resolver over its own key store. An unknown `kid` must be reported by throwing jose's
 * `errors.JWKSNoMatchingKey` (both jose key sets do); any other failure counts as "keys unavailable".
 */
export type UserKeyResolver = (
  protectedHeader: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<CryptoKey | KeyObject>;

/** Only one external access method: Backstage's `static` tokens. */
export interface ExternalAccessEntry {
  token: string;
  /** Without the `external:` prefix. */
  subject: string;
  /** When set, the token only works for these plugins (Backstage's `accessRestrictions[].plugin`). */
  accessRestrictions?: Array<{ plugin: string }>;
}

export interface TokenVerifierOptions {
  /** The verifying service's own plugin id: the audience its service tokens must carry. */
  pluginId: string;
  userKeys: UserKeyResolver;
  /** Expected `iss` of user tokens; checked only when given. */
  issuer?: string;
  serviceKeys: PublicKeyStore;
  externalAccess?: ExternalAccessEntry[];
  /** Allowed clock skew for `exp`/`nbf`; 5 seconds by default. */
  clockToleranceSeconds?: number;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
}

export interface VerifyOptions {
  /**
   * The audience service tokens must carry, when it is not this service: the gateway checks tokens
   * at the edge on behalf of the plugin the request is forwarded to.
   */
  audience?: string;
}

const ALL_TYPES: readonly PrincipalType[] = ['user', 'service', 'external'];
const USER_TOKEN_AUDIENCE = 'backstage';
/** Far above any real token (a service token carrying a user token with many groups). */
const MAX_TOKEN_LENGTH = 32 * 1024;
const SUBJECT_PATTERN = /^[a-zA-Z0-9:_./-]+$/;
const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/i;

const typeNames: Record<PrincipalType, string> = {
  user: 'User tokens',
  service: 'Service tokens',
  external: 'External access tokens',
};

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Verifies every credential a portal service accepts: static external tokens, service tokens of
 * other plugins (keys from discovery) and user tokens of the gateway (keys from its JWKS).
 * Everything that is not a valid ES256 token of a known type with a known key is an
 * AuthenticationError; a key set that cannot be fetched is a ServiceUnavailableError.
 */
export class TokenVerifier {
  private readonly pluginId: string;
  private readonly userKeys: UserKeyResolver;
  private readonly issuer: string | undefined;
  private readonly serviceKeys: PublicKeyStore;
  private readonly external: Array<ExternalAccessEntry & { digest: Buffer }>;
  private readonly clockTolerance: number;
  private readonly now: () => number;

  constructor(options: TokenVerifierOptions) {
    this.pluginId = options.pluginId;
    this.userKeys = options.userKeys;
    this.issuer = options.issuer;
    this.serviceKeys = options.serviceKeys;
    this.external = (options.externalAccess ?? []).map((entry) => ({
      ...entry,
      digest: sha256(entry.token),
    }));
    this.clockTolerance = options.clockToleranceSeconds ?? 5;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reads Backstage's `backend.auth.externalAccess`. Only `type: static` is supported; other types,
   * and access restrictions by permission, are refused (rather than silently granting more).
   */
  static externalAccessFromConfig(config: Config): ExternalAccessEntry[] {
    const entries = config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
    const seen = new Set<string>();
    return entries.map((entry, i) => {
      const key = `backend.auth.externalAccess[${i}]`;
      const type = entry.getString('type');
      if (type !== 'static') {
        throw new InputError(
          `Unsupported external access type '${type}' at '${key}.type'; only 'static' is supported`,
        );
      }
      const token = entry.getString('options.token');
      const subject = entry.getString('options.subject');
      if (token.length < 8 || /\s/.test(token)) {
        throw new InputError(
          `Invalid static token at '${key}.options.token': at least 8 characters, no whitespace`,
        );
      }
      if (!SUBJECT_PATTERN.test(subject)) {
        throw new InputError(`Invalid subject at '${key}.options.subject': use letters, digits and :_./-`);
      }
      if (seen.has(token)) throw new InputError(`Duplicate static token at '${key}.options.token'`);
      seen.add(token);
      const restrictions = entry.getOptionalConfigArray('accessRestrictions');
      const accessRestrictions = restrictions?.map((r, j) => {
        if (r.has('permission') || r.has('permissionAttribute')) {
          throw new InputError(
            `Access restrictions by permission are not supported (at '${key}.accessRestrictions[${j}]'); restrict by plugin only`,
          );
        }
        return { plugin: r.getString('plugin') };
      });
      return { token, subject, ...(accessRestrictions ? { accessRestrictions } : {}) };
    });
  }

  async verify(
    token: string,
    allow: readonly PrincipalType[] = ALL_TYPES,
    options: VerifyOptions = {},
  ): Promise<Principal> {
    if (typeof token !== 'string' || token === '') throw new AuthenticationError('Missing credentials');
    if (token.length > MAX_TOKEN_LENGTH) throw new AuthenticationError('Invalid token: too long');
    const audience = options.audience ?? this.pluginId;

    const external = this.matchExternal(token);
    if (external) {
      this.assertAllowed('external', allow);
      if (external.accessRestrictions && !external.accessRestrictions.some((r) => r.plugin === audience)) {
        throw new NotAllowedError(
          `This token's access is restricted to plugin(s) ${external.accessRestrictions.map((r) => `'${r.plugin}'`).join(', ')}`,
        );
      }
      const principal: ExternalPrincipal = { type: 'external', subject: `external:${external.subject}` };
      return principal;
    }

    const header = this.decodeHeader(token);
    if (header.typ === TOKEN_TYPES.plugin) {
      this.assertAllowed('service', allow);
      return this.verifyServiceToken(token, header, audience);
    }
    if (
      header.typ === undefined ||
      header.typ === TOKEN_TYPES.user ||
      header.typ === TOKEN_TYPES.limitedUser
    ) {
      this.assertAllowed('user', allow);
      return this.verifyUserToken(token);
    }
    throw new AuthenticationError(`Invalid token: unknown token type '${String(header.typ)}'`);
  }

  /** Compares against every static token in constant time (digests, so lengths do not leak). */
  private matchExternal(token: string): ExternalAccessEntry | undefined {
    if (this.external.length === 0) return undefined;
    const digest = sha256(token);
    let match: ExternalAccessEntry | undefined;
    for (const entry of this.external) {
      if (timingSafeEqual(digest, entry.digest) && !match) match = entry;
    }
    return match;
  }

  private assertAllowed(type: PrincipalType, allow: readonly PrincipalType[]): void {
    if (!allow.includes(type)) throw new AuthenticationError(`${typeNames[type]} are not accepted here`);
  }

  private decodeHeader(token: string): ProtectedHeaderParameters & { kid: string } {
    if (token.split('.').length !== 3) throw new AuthenticationError('Invalid token: malformed');
    let header: ProtectedHeaderParameters;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthenticationError('Invalid token: malformed');
    }
    if (header.alg !== TOKEN_ALGORITHM) {
      throw new AuthenticationError(`Invalid token: algorithm '${String(header.alg)}' is not allowed`);
    }
    if (typeof header.kid !== 'string' || header.kid === '') {
      throw new AuthenticationError('Invalid token: missing key id (kid)');
    }
    return header as ProtectedHeaderParameters & { kid: string };
  }

  private async verifyServiceToken(
    token: string,
    header: { kid: string },
    audience: string,
  ): Promise<ServicePrincipal> {
    let claimedSub: unknown;
    try {
      claimedSub = decodeJwt(token).sub;
    } catch {
      throw new AuthenticationError('Invalid token: malformed');
    }
    if (typeof claimedSub !== 'string' || !PLUGIN_ID_PATTERN.test(claimedSub)) {
      throw new AuthenticationError('Invalid service token: missing or invalid subject');
    }
    const key = this.serviceKeys.find(claimedSub, header.kid);
    if (!key) {
      throw new AuthenticationError(
        `Invalid service token: no key '${header.kid}' is registered for plugin '${claimedSub}'`,
      );
    }
    const payload = await this.runVerify(() =>
      jwtVerify(token, key, {
        algorithms: [TOKEN_ALGORITHM],
        typ: TOKEN_TYPES.plugin,
        audience,
        subject: claimedSub,
        requiredClaims: ['exp', 'sub', 'aud'],
        clockTolerance: this.clockTolerance,
        currentDate: new Date(this.now()),
      }),
    );
    const principal: ServicePrincipal = {
      type: 'service',
      subject: `plugin:${claimedSub}`,
      pluginId: claimedSub,
    };
    if (payload.obo !== undefined) {
      if (typeof payload.obo !== 'string')
        throw new AuthenticationError('Invalid service token: invalid obo claim');
      try {
        principal.onBehalfOf = await this.verifyUserToken(payload.obo);
      } catch (err) {
        if (err instanceof AuthenticationError) {
          throw new AuthenticationError(
            `Invalid service token: on-behalf-of user token rejected (${err.message})`,
          );
        }
        throw err;
      }
    }
    return principal;
  }

  private async verifyUserToken(token: string): Promise<UserPrincipal> {
    const header = this.decodeHeader(token);
    if (
      header.typ !== undefined &&
      header.typ !== TOKEN_TYPES.user &&
      header.typ !== TOKEN_TYPES.limitedUser
    ) {
      throw new AuthenticationError(`Invalid user token: unexpected token type '${String(header.typ)}'`);
    }
    const payload = await this.runVerify(() =>
      jwtVerify(token, this.lookupUserKey, {
        algorithms: [TOKEN_ALGORITHM],
        audience: USER_TOKEN_AUDIENCE,
        ...(this.issuer !== undefined ? { issuer: this.issuer } : {}),
        requiredClaims: ['exp', 'sub'],
        clockTolerance: this.clockTolerance,
        currentDate: new Date(this.now()),
      }),
    );
    const { sub, ent } = payload;
    if (typeof sub !== 'string' || sub === '')
      throw new AuthenticationError('Invalid user token: missing subject');
    if (!Array.isArray(ent) || !ent.every((ref): ref is string => typeof ref === 'string')) {
      throw new AuthenticationError("Invalid user token: 'ent' must be an array of entity refs");
    }
    return { type: 'user', userEntityRef: sub, ownershipEntityRefs: [...ent], token };
  }

  /** Wraps the user key resolver so that key-set failures can be told from bad tokens. */
  private readonly lookupUserKey = async (
    header: JWSHeaderParameters,
    input: FlattenedJWSInput,
  ): Promise<CryptoKey | KeyObject> => {
    try {
      return await this.userKeys(header, input);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) {
        throw new AuthenticationError('Invalid token: unknown signing key', err);
      }
      throw new ServiceUnavailableError('The user token signing keys could not be loaded', err);
    }
  };

  private async runVerify(verify: () => Promise<{ payload: JWTPayload }>): Promise<JWTPayload> {
    try {
      return (await verify()).payload;
    } catch (err) {
      throw translateJoseError(err);
    }
  }
}

function translateJoseError(err: unknown): Error {
  if (err instanceof AuthenticationError || err instanceof ServiceUnavailableError) return err;
  if (err instanceof joseErrors.JWTExpired) return new AuthenticationError('Invalid token: expired', err);
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return new AuthenticationError('Invalid token: not valid yet (nbf)', err);
    return new AuthenticationError(
      `Invalid token: ${err.reason === 'missing' ? 'missing' : 'invalid'} '${err.claim}' claim`,
      err,
    );
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) {
    return new AuthenticationError('Invalid token: signature verification failed', err);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed)
    return new AuthenticationError('Invalid token: algorithm not allowed', err);
  if (err instanceof joseErrors.JOSEError) return new AuthenticationError('Invalid token: malformed', err);
  return new AuthenticationError('Invalid token', err);
}

/**
 * The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined
 * when there is no header or it is not a well-formed Bearer header.
 */
export function extractBearerToken(authorizationHeader: string | undefined): string | undefined {
  if (typeof authorizationHeader !== 'string') return undefined;
  const match = /^Bearer +(\S+)$/i.exec(authorizationHeader.trim());
  return match?.[1];
}
