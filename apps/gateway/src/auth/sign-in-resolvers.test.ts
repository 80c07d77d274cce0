import { AuthenticationError, ConflictError } from '@portal/platform';
import type { SignInResolverConfig } from './sign-in-config.js';
import { resolveSignIn } from './sign-in-resolvers.js';
import { FakeUserCatalog, group, user } from './testing/fake-user-catalog.js';

const r = (resolver: SignInResolverConfig['resolver'], extra: Partial<SignInResolverConfig> = {}) =>
  ({ resolver, dangerouslyAllowSignInWithoutUserInCatalog: false, ...extra }) as SignInResolverConfig;

const jane = user('jane', { profile: { email: 'Jane.Doe@Example.com' }, memberOf: ['team-a'] });
const bob = user(
  'bob',
  { memberOf: [] },
  {
    metadata: { name: 'bob', annotations: { 'portal.io/oidc-subject': 'idp|123' } },
  },
);
const catalog = () => new FakeUserCatalog([jane, bob, group('team-a', 'org'), group('org')]);

describe('resolveSignIn', () => {
  it('emailMatchingUserEntityProfileEmail: by spec.profile.email (any case), with groups', async () => {
    await expect(
      resolveSignIn(
        [r('emailMatchingUserEntityProfileEmail')],
        { subject: 's', email: 'jane.doe@example.com' },
        catalog(),
      ),
    ).resolves.toEqual({
      userEntityRef: 'user:default/jane',
      ownershipEntityRefs: ['user:default/jane', 'group:default/org', 'group:default/team-a'],
    });
  });

  it('emailLocalPartMatchingUserEntityName: by name, within the allowed domains', async () => {
    const identity = { subject: 's', email: 'bob@corp.example' };
    await expect(
      resolveSignIn([r('emailLocalPartMatchingUserEntityName')], identity, catalog()),
    ).resolves.toEqual({
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob'],
    });
    await expect(
      resolveSignIn(
        [r('emailLocalPartMatchingUserEntityName', { allowedDomains: ['other.example'] })],
        identity,
        catalog(),
      ),
    ).rejects.toThrow(/email domain corp.example is not allowed/);
  });

  it('userIdMatchingUserEntityAnnotation: the IdP subject in an annotation', async () => {
    const resolver = r('userIdMatchingUserEntityAnnotation', { annotation: 'portal.io/oidc-subject' });
    await expect(resolveSignIn([resolver], { subject: 'idp|123' }, catalog())).resolves.toMatchObject({
      userEntityRef: 'user:default/bob',
    });
    await expect(resolveSignIn([resolver], { subject: 'idp|999' }, catalog())).rejects.toThrow(
      AuthenticationError,
    );
  });

  it('tries the resolvers in order; the first match wins', async () => {
    const c = catalog();
    const identity = { subject: 'idp|123', email: 'jane.doe@example.com' };
    await expect(
      resolveSignIn(
        [
          r('emailLocalPartMatchingUserEntityName'),
          r('userIdMatchingUserEntityAnnotation', { annotation: 'portal.io/oidc-subject' }),
          r('emailMatchingUserEntityProfileEmail'),
        ],
        identity,
        c,
      ),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/bob' });
  });

  it('refuses an unknown user with a clear 401 naming what each resolver looked for', async () => {
    const err = await resolveSignIn(
      [r('emailMatchingUserEntityProfileEmail'), r('emailLocalPartMatchingUserEntityName')],
      { subject: 's', email: 'nobody@example.com' },
      catalog(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as Error).message).toMatch(/unable to resolve user identity/);
    expect((err as Error).message).toMatch(/no user with spec.profile.email nobody@example.com/);
    expect((err as Error).message).toMatch(/no user named nobody/);
    // No email at all.
    await expect(
      resolveSignIn([r('emailMatchingUserEntityProfileEmail')], { subject: 's' }, catalog()),
    ).rejects.toThrow(/the identity has no email/);
  });

  it('signs in without a catalog user only when the resolver dangerously allows it', async () => {
    await expect(
      resolveSignIn(
        [r('emailMatchingUserEntityProfileEmail', { dangerouslyAllowSignInWithoutUserInCatalog: true })],
        { subject: 's', email: 'New.Person+tag@example.com' },
        catalog(),
      ),
    ).resolves.toEqual({
      userEntityRef: 'user:default/new.persontag',
      ownershipEntityRefs: ['user:default/new.persontag'],
    });
    // A later resolver that finds the user still wins over the fallback.
    await expect(
      resolveSignIn(
        [
          r('emailMatchingUserEntityProfileEmail', { dangerouslyAllowSignInWithoutUserInCatalog: true }),
          r('emailLocalPartMatchingUserEntityName'),
        ],
        { subject: 's', email: 'bob@elsewhere.example' },
        catalog(),
      ),
    ).resolves.toMatchObject({ userEntityRef: 'user:default/bob' });
  });

  it('does not match by an email the identity provider has not verified', async () => {
    await expect(
      resolveSignIn(
        [r('emailMatchingUserEntityProfileEmail'), r('emailLocalPartMatchingUserEntityName')],
        { subject: 's', email: 'jane.doe@example.com', emailVerified: false },
        catalog(),
      ),
    ).rejects.toThrow(/not verified by the identity provider/);
  });

  it('refuses an ambiguous match (two users with one email)', async () => {
    const twin = user('jane2', { profile: { email: 'jane.doe@example.com' } });
    await expect(
      resolveSignIn(
        [r('emailMatchingUserEntityProfileEmail')],
        { subject: 's', email: 'jane.doe@example.com' },
        new FakeUserCatalog([jane, twin]),
      ),
    ).rejects.toThrow(ConflictError);
  });

  it('never signs in when the catalog fails (the error propagates)', async () => {
    const c = catalog();
    c.failing = true;
    await expect(
      resolveSignIn(
        [r('emailMatchingUserEntityProfileEmail', { dangerouslyAllowSignInWithoutUserInCatalog: true })],
        { subject: 's', email: 'jane.doe@example.com' },
        c,
      ),
    ).rejects.toThrow('catalog down');
  });
});
