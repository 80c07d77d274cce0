import { AuthenticationError, ConflictError, type PortalError } from '@portal/platform';
import { resolveOwnership } from './ownership.js';
import type { SignInResolverConfig } from './sign-in-config.js';
import { entityRefOf, type CatalogEntity, type UserCatalog } from './user-catalog.js';
import type { UserIdentity } from './user-token-issuer.js';

/** What the IdP says about the user (verified ID token claims, completed by userinfo). */
export interface ProviderIdentity {
  /** The IdP's subject (`sub`). */
  subject: string;
  email?: string;
  emailVerified?: boolean;
  displayName?: string;
  picture?: string;
}

interface Candidate {
  /** The User entity, when one matched. */
  entity?: CatalogEntity;
  /** The name to sign in as without a catalog user, when the resolver has one. */
  fallbackName?: string;
  /** Why this resolver found no one (for the error message). */
  miss: string;
}

const NAME_CHARS = /[^a-zA-Z0-9_.-]/g;

function localPart(email: string): { local: string; domain: string } | undefined {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  return { local: email.slice(0, at), domain: email.slice(at + 1).toLowerCase() };
}

function single(entities: CatalogEntity[], what: string): CatalogEntity | undefined {
  const users = entities.filter((e) => e.kind.toLowerCase() === 'user');
  if (users.length > 1) {
    throw new ConflictError(`Sign-in failed: more than one user in the catalog has ${what}`);
  }
  return users[0];
}

async function runResolver(
  config: SignInResolverConfig,
  identity: ProviderIdentity,
  catalog: UserCatalog,
): Promise<Candidate> {
  // An address the IdP says it has not verified proves nothing about who signs in.
  if (config.resolver !== 'userIdMatchingUserEntityAnnotation' && identity.emailVerified === false) {
    return { miss: `the email ${identity.email ?? ''} is not verified by the identity provider` };
  }
  switch (config.resolver) {
    case 'emailMatchingUserEntityProfileEmail': {
      if (!identity.email) return { miss: 'the identity has no email' };
      const found = await catalog.query({ kind: 'user', 'spec.profile.email': identity.email }, 2);
      const entity = single(found, `the email ${identity.email}`);
      const parts = localPart(identity.email);
      return {
        entity,
        fallbackName: parts?.local,
        miss: `no user with spec.profile.email ${identity.email}`,
      };
    }
    case 'emailLocalPartMatchingUserEntityName': {
      if (!identity.email) return { miss: 'the identity has no email' };
      const parts = localPart(identity.email);
      if (!parts) return { miss: `'${identity.email}' is not an email address` };
      if (config.allowedDomains && !config.allowedDomains.includes(parts.domain)) {
        return { miss: `the email domain ${parts.domain} is not allowed` };
      }
      const name = parts.local.replace(NAME_CHARS, '');
      if (!name) return { miss: `'${identity.email}' has no usable local part` };
      const [entity] = await catalog.getByRefs([`user:default/${name.toLowerCase()}`]);
      return { entity, fallbackName: name, miss: `no user named ${name}` };
    }
    case 'userIdMatchingUserEntityAnnotation': {
      const annotation = config.annotation!;
      const found = await catalog.query(
        { kind: 'user', [`metadata.annotations.${annotation}`]: identity.subject },
        2,
      );
      return {
        entity: single(found, `the annotation ${annotation}: ${identity.subject}`),
        fallbackName: identity.subject,
        miss: `no user with the annotation ${annotation}: ${identity.subject}`,
      };
    }
  }
}

/**
 * Runs the configured sign-in resolvers in order; the first that finds a User entity wins, and the
 * identity is the user and its groups, transitively. When none finds one, the sign-in is refused
 * (401), unless a resolver that produced a name allows signing in without a catalog user: then the
 * identity is `user:default/<name>` alone. Catalog failures propagate (503), never a sign-in.
 */
export async function resolveSignIn(
  resolvers: SignInResolverConfig[],
  identity: ProviderIdentity,
  catalog: UserCatalog,
): Promise<UserIdentity> {
  const misses: string[] = [];
  let fallback: string | undefined;
  for (const config of resolvers) {
    const candidate = await runResolver(config, identity, catalog);
    if (candidate.entity) {
      return {
        userEntityRef: entityRefOf(candidate.entity),
        ownershipEntityRefs: await resolveOwnership(catalog, candidate.entity),
      };
    }
    misses.push(`${config.resolver}: ${candidate.miss}`);
    const name = candidate.fallbackName?.replace(NAME_CHARS, '').toLowerCase();
    if (config.dangerouslyAllowSignInWithoutUserInCatalog && name && fallback === undefined) {
      fallback = `user:default/${name.slice(0, 63)}`;
    }
  }
  if (fallback) return { userEntityRef: fallback, ownershipEntityRefs: [fallback] };
  const error: PortalError = new AuthenticationError(
    `Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains the expected User entities that would match your configured sign-in resolver(s) (${misses.join('; ')})`,
  );
  throw error;
}
