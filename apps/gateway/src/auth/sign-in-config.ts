import { InputError, type Config, type JsonSchema } from '@portal/platform';

/** The sign-in resolvers the OIDC provider knows, by Backstage's names. */
export const SIGN_IN_RESOLVERS = [
  'emailMatchingUserEntityProfileEmail',
  'emailLocalPartMatchingUserEntityName',
  'userIdMatchingUserEntityAnnotation',
] as const;
export type SignInResolverName = (typeof SIGN_IN_RESOLVERS)[number];

/** The annotation `userIdMatchingUserEntityAnnotation` compares the IdP's `sub` with by default. */
export const DEFAULT_SUBJECT_ANNOTATION = 'portal.io/oidc-subject';

export interface SignInResolverConfig {
  resolver: SignInResolverName;
  /** Sign in as `user:default/<name>` with no groups when no User entity matches. */
  dangerouslyAllowSignInWithoutUserInCatalog: boolean;
  /** emailLocalPartMatchingUserEntityName: only these email domains (any when absent). */
  allowedDomains?: string[];
  /** userIdMatchingUserEntityAnnotation: the annotation holding the IdP subject. */
  annotation?: string;
}

export interface OidcEnvironmentSettings {
  /** `development`, `production`, …: the `env` query parameter of `/start`. */
  env: string;
  metadataUrl: string;
  clientId: string;
  clientSecret: string;
  /** The redirect URI registered at the IdP; `<backend.baseUrl>/api/auth/oidc/handler/frame` by default. */
  callbackUrl: string;
  scope: string;
  prompt?: string;
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Refresh-cookie session lifetime. */
  sessionDurationSeconds: number;
  resolvers: SignInResolverConfig[];
}

export interface OidcSettings {
  environments: Map<string, OidcEnvironmentSettings>;
  /** The environment used when `/start` is called without `env`. */
  defaultEnv: string;
}

const duration = {
  type: 'object',
  properties: {
    days: { type: 'number', minimum: 0 },
    hours: { type: 'number', minimum: 0 },
    minutes: { type: 'number', minimum: 0 },
    seconds: { type: 'number', minimum: 0 },
  },
  additionalProperties: false,
};

const resolverSchema: JsonSchema = {
  type: 'object',
  required: ['resolver'],
  properties: {
    resolver: { enum: [...SIGN_IN_RESOLVERS] },
    dangerouslyAllowSignInWithoutUserInCatalog: { type: 'boolean' },
    allowedDomains: { type: 'array', items: { type: 'string', minLength: 1 } },
    annotation: { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
};

const oidcEnvironmentProperties = {
  metadataUrl: { type: 'string', minLength: 1 },
  clientId: { type: 'string', minLength: 1 },
  clientSecret: { type: 'string', minLength: 1 },
  callbackUrl: { type: 'string', minLength: 1 },
  scope: { type: 'string', minLength: 1 },
  prompt: { type: 'string', minLength: 1 },
  tokenEndpointAuthMethod: { enum: ['client_secret_basic', 'client_secret_post'] },
  sessionDuration: duration,
  signIn: {
    type: 'object',
    properties: { resolvers: { type: 'array', minItems: 1, items: resolverSchema } },
    additionalProperties: false,
  },
};

const oidcEnvironmentSchema: JsonSchema = {
  type: 'object',
  required: ['metadataUrl', 'clientId', 'clientSecret'],
  properties: oidcEnvironmentProperties,
  additionalProperties: false,
};

/**
 * `auth.providers.oidc`: Backstage's per-environment shape (`oidc.development.metadataUrl`) or the
 * flat one (`oidc.metadataUrl`).
 */
export const oidcProviderSchema: JsonSchema = {
  type: 'object',
  // The flat shape's keys; any other key is an environment.
  properties: oidcEnvironmentProperties,
  additionalProperties: oidcEnvironmentSchema,
};

/** `auth.allowedRedirectOrigins` and `auth.session`: where sign-in may send the browser back to. */
export const signInAuthSchemaProperties: Record<string, JsonSchema> = {
  allowedRedirectOrigins: { type: 'array', items: { type: 'string', minLength: 1 } },
};

const DEFAULT_SCOPE = 'openid profile email';
const DEFAULT_SESSION_SECONDS = 24 * 3600;
const ENV_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function durationSeconds(config: Config | undefined, key: string, fallback: number): number {
  if (!config) return fallback;
  const seconds =
    (config.getOptionalNumber('days') ?? 0) * 86_400 +
    (config.getOptionalNumber('hours') ?? 0) * 3600 +
    (config.getOptionalNumber('minutes') ?? 0) * 60 +
    (config.getOptionalNumber('seconds') ?? 0);
  if (!Number.isFinite(seconds) || seconds < 60 || seconds > 400 * 86_400) {
    throw new InputError(`Invalid ${key}: must be between 1 minute and 400 days`);
  }
  return Math.floor(seconds);
}

function readEnvironment(config: Config, key: string, env: string, baseUrl: string): OidcEnvironmentSettings {
  const metadataUrl = config.getString('metadataUrl');
  let parsed: URL;
  try {
    parsed = new URL(metadataUrl);
  } catch {
    throw new InputError(`Invalid ${key}.metadataUrl '${metadataUrl}': not a URL`);
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))) {
    throw new InputError(
      `Invalid ${key}.metadataUrl '${metadataUrl}': must be https (http only for localhost/127.0.0.1)`,
    );
  }
  const callbackUrl = config.getOptionalString('callbackUrl') ?? `${baseUrl}/api/auth/oidc/handler/frame`;
  try {
    new URL(callbackUrl);
  } catch {
    throw new InputError(`Invalid ${key}.callbackUrl '${callbackUrl}': not a URL`);
  }
  const resolvers = (config.getOptionalConfigArray('signIn.resolvers') ?? []).map((r, i) => {
    const name = r.getString('resolver');
    if (!(SIGN_IN_RESOLVERS as readonly string[]).includes(name)) {
      throw new InputError(
        `Unknown sign-in resolver '${name}' at ${key}.signIn.resolvers[${i}].resolver; expected one of ${SIGN_IN_RESOLVERS.join(', ')}`,
      );
    }
    return {
      resolver: name as SignInResolverName,
      dangerouslyAllowSignInWithoutUserInCatalog:
        r.getOptionalBoolean('dangerouslyAllowSignInWithoutUserInCatalog') ?? false,
      ...(r.has('allowedDomains')
        ? { allowedDomains: (r.getOptionalStringArray('allowedDomains') ?? []).map((d) => d.toLowerCase()) }
        : {}),
      ...(name === 'userIdMatchingUserEntityAnnotation'
        ? { annotation: r.getOptionalString('annotation') ?? DEFAULT_SUBJECT_ANNOTATION }
        : {}),
    } satisfies SignInResolverConfig;
  });
  if (resolvers.length === 0) {
    throw new InputError(
      `Missing ${key}.signIn.resolvers: the OIDC provider needs at least one sign-in resolver (e.g. emailMatchingUserEntityProfileEmail)`,
    );
  }
  const method = config.getOptionalString('tokenEndpointAuthMethod');
  if (method !== undefined && method !== 'client_secret_basic' && method !== 'client_secret_post') {
    throw new InputError(`Invalid ${key}.tokenEndpointAuthMethod '${method}'`);
  }
  const scope = config.getOptionalString('scope') ?? DEFAULT_SCOPE;
  return {
    env,
    metadataUrl,
    clientId: config.getString('clientId'),
    clientSecret: config.getString('clientSecret'),
    callbackUrl,
    scope: scope.split(/\s+/).includes('openid') ? scope : `openid ${scope}`,
    prompt: config.getOptionalString('prompt'),
    tokenEndpointAuthMethod: method,
    sessionDurationSeconds: durationSeconds(
      config.getOptionalConfig('sessionDuration'),
      `${key}.sessionDuration`,
      DEFAULT_SESSION_SECONDS,
    ),
    resolvers,
  };
}

/** Reads `auth.providers.oidc`; undefined when the provider is not configured. */
export function readOidcSettings(
  config: Config,
  options: { baseUrl: string; authEnvironment?: string },
): OidcSettings | undefined {
  const oidc = config.getOptionalConfig('auth.providers.oidc');
  if (!oidc) return undefined;
  const environments = new Map<string, OidcEnvironmentSettings>();
  if (oidc.has('metadataUrl')) {
    const env = options.authEnvironment ?? 'default';
    environments.set(env, readEnvironment(oidc, 'auth.providers.oidc', env, options.baseUrl));
  } else {
    for (const env of Object.keys(oidc.get())) {
      const key = `auth.providers.oidc.${env}`;
      if (!ENV_NAME.test(env)) throw new InputError(`Invalid environment name at ${key}`);
      environments.set(env, readEnvironment(oidc.getConfig(env), key, env, options.baseUrl));
    }
  }
  if (environments.size === 0) throw new InputError('auth.providers.oidc has no environment configured');
  const first = [...environments.keys()][0]!;
  const defaultEnv =
    options.authEnvironment && environments.has(options.authEnvironment) ? options.authEnvironment : first;
  return { environments, defaultEnv };
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}

/**
 * The origins sign-in may return the browser to, exactly: the origin of `app.baseUrl` (else
 * `backend.baseUrl`) and every entry of `auth.allowedRedirectOrigins`.
 */
export function readAllowedRedirectOrigins(config: Config, baseUrl: string): Set<string> {
  const appBase = config.getOptionalString('app.baseUrl') ?? baseUrl;
  const origins = new Set<string>([originOf(appBase, 'app.baseUrl')]);
  (config.getOptionalStringArray('auth.allowedRedirectOrigins') ?? []).forEach((value, i) => {
    const key = `auth.allowedRedirectOrigins[${i}]`;
    const origin = originOf(value, key);
    if (origin !== value.replace(/\/$/, '')) {
      throw new InputError(
        `Invalid ${key} '${value}': expected an origin such as https://portal.example.com`,
      );
    }
    origins.add(origin);
  });
  return origins;
}

function originOf(value: string, key: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`Invalid ${key} '${value}': not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`Invalid ${key} '${value}': only http and https origins are allowed`);
  }
  return url.origin;
}
