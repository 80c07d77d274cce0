import {
  InputError,
  portalEnvironment,
  type Config,
  type JsonSchema,
  type PortalEnvironment,
} from '@portal/platform';
import {
  oidcProviderSchema,
  readAllowedRedirectOrigins,
  readOidcSettings,
  signInAuthSchemaProperties,
  type OidcSettings,
} from './sign-in-config.js';
import { isFullEntityRef } from './user-token-issuer.js';

const entityRef = { type: 'string', pattern: '^[a-zA-Z0-9_.-]+:[a-zA-Z0-9_.-]+/[a-zA-Z0-9_.-]+$' };

/**
 * The `auth` section the gateway reads, as a whole-config schema for validateConfig (next to the
 * platform's). Backstage's keys and shapes; other providers' sections are accepted unchecked.
 */
export const authConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    auth: {
      type: 'object',
      properties: {
        environment: { type: 'string' },
        ...signInAuthSchemaProperties,
        backstageTokenExpiration: {
          type: 'object',
          properties: {
            days: { type: 'number', minimum: 0 },
            hours: { type: 'number', minimum: 0 },
            minutes: { type: 'number', minimum: 0 },
            seconds: { type: 'number', minimum: 0 },
          },
          additionalProperties: false,
        },
        providers: {
          type: 'object',
          properties: {
            guest: {
              type: 'object',
              properties: {
                userEntityRef: entityRef,
                ownershipEntityRefs: { type: 'array', items: entityRef },
                dangerouslyAllowOutsideDevelopment: { type: 'boolean' },
              },
              additionalProperties: false,
            },
            oidc: oidcProviderSchema,
          },
          additionalProperties: { type: 'object' },
        },
      },
    },
  },
};

export interface GuestProviderOptions {
  userEntityRef: string;
  ownershipEntityRefs: string[];
  dangerouslyAllowOutsideDevelopment: boolean;
}

export interface AuthSettings {
  /** `iss` of user tokens: `<backend.baseUrl>/api/auth`. */
  issuer: string;
  tokenExpiresInSeconds: number;
  environment: PortalEnvironment;
  /** Present when `auth.providers.guest` is configured. */
  guest?: GuestProviderOptions;
  /** `backend.baseUrl` without a trailing slash. */
  baseUrl: string;
  /** Origins sign-in may return the browser to (exact match). */
  allowedRedirectOrigins: Set<string>;
  /** The origin of `app.baseUrl` (the popup's opener by default). */
  appOrigin: string;
  /** Present when `auth.providers.oidc` is configured. */
  oidc?: OidcSettings;
}

const DEFAULT_GUEST = 'user:development/guest';
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 86_400;

/** Reads the gateway's auth settings; bad values are InputErrors naming the key. */
export function readAuthSettings(config: Config, env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const baseUrl = (config.getOptionalString('backend.baseUrl') ?? 'http://localhost:7007').replace(
    /\/+$/,
    '',
  );
  const allowedRedirectOrigins = readAllowedRedirectOrigins(config, baseUrl);
  const settings: AuthSettings = {
    issuer: `${baseUrl}/api/auth`,
    tokenExpiresInSeconds: readTokenExpiration(config),
    environment: portalEnvironment(config, env),
    baseUrl,
    allowedRedirectOrigins,
    appOrigin: [...allowedRedirectOrigins][0]!,
  };
  const oidc = readOidcSettings(config, {
    baseUrl,
    authEnvironment: config.getOptionalString('auth.environment'),
  });
  if (oidc) settings.oidc = oidc;
  const guest = config.getOptionalConfig('auth.providers.guest');
  if (guest) {
    const userEntityRef = guest.getOptionalString('userEntityRef') ?? DEFAULT_GUEST;
    if (!isFullEntityRef(userEntityRef)) {
      throw new InputError(
        `Invalid auth.providers.guest.userEntityRef '${userEntityRef}', expected kind:namespace/name`,
      );
    }
    const ownershipEntityRefs = guest.getOptionalStringArray('ownershipEntityRefs') ?? [userEntityRef];
    ownershipEntityRefs.forEach((ref, i) => {
      if (!isFullEntityRef(ref)) {
        throw new InputError(
          `Invalid auth.providers.guest.ownershipEntityRefs[${i}] '${ref}', expected kind:namespace/name`,
        );
      }
    });
    settings.guest = {
      userEntityRef,
      ownershipEntityRefs,
      dangerouslyAllowOutsideDevelopment:
        guest.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') ?? false,
    };
  }
  return settings;
}

/** Backstage's `auth.backstageTokenExpiration` ({minutes: 60} style), between 10 minutes and 24 hours. */
function readTokenExpiration(config: Config): number {
  const duration = config.getOptionalConfig('auth.backstageTokenExpiration');
  if (!duration) return 3600;
  const seconds =
    (duration.getOptionalNumber('days') ?? 0) * 86_400 +
    (duration.getOptionalNumber('hours') ?? 0) * 3600 +
    (duration.getOptionalNumber('minutes') ?? 0) * 60 +
    (duration.getOptionalNumber('seconds') ?? 0);
  if (!Number.isFinite(seconds) || seconds < MIN_TOKEN_SECONDS || seconds > MAX_TOKEN_SECONDS) {
    throw new InputError('Invalid auth.backstageTokenExpiration: must be between 10 minutes and 24 hours');
  }
  return Math.floor(seconds);
}

export type GuestPolicyDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * May the guest provider start? Only in development, unless
 * `auth.providers.guest.dangerouslyAllowOutsideDevelopment` is true: a guest sign-in hands a valid
 * user token to anyone who asks.
 */
export function guestProviderPolicy(input: {
  environment: PortalEnvironment;
  dangerouslyAllowOutsideDevelopment: boolean;
}): GuestPolicyDecision {
  if (input.environment === 'development' || input.dangerouslyAllowOutsideDevelopment === true)
    return { allowed: true };
  return {
    allowed: false,
    reason:
      `The guest auth provider refuses to start outside development (portal.environment is '${input.environment}'). ` +
      'Remove auth.providers.guest, or set auth.providers.guest.dangerouslyAllowOutsideDevelopment: true ' +
      'if anyone who can reach the portal may sign in as the guest user.',
  };
}
