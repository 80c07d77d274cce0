/**
 * End to end, as separate processes: the gateway, the REAL permission service (with a policy file
 * written here) and TWO catalog replicas serving the example organisation (examples/all.yaml) with
 * `permission.enabled: true`. Users sign in through the gateway with OpenID Connect (the in-process
 * test IdP) and get real user tokens whose `ent` comes from the catalog.
 *
 * - Ada (team-payments) and Grace (team-storefront) see different catalogs: the policy gives each
 *   team's role a conditional `catalog.entity.read` (IS_ENTITY_OWNER with the user's ownership refs).
 * - Margaret, in the file's policy-admins role (`permission.policy.*`), changes a runtime role
 *   through `/api/permission/roles`; the change is visible on each catalog replica within a second.
 * - The permission service stopped: catalog reads fail closed with 503.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  startTestOidcProvider,
  type TestOidcProvider,
} from '../../gateway/test/support/oidc-test-provider.js';
import {
  oidcProviderConfig,
  signInWithOidc,
  type SignedInUser,
} from '../../../test/support/oidc-user-token.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  repoRoot,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const EXAMPLE_ENTITIES = 42; // examples/ (41) and the Location generated for the configured one

const POLICY = `
roles:
  - name: payments
    members: [group:default/team-payments]
  - name: storefront
    members: [group:default/team-storefront]
  - name: policy-admins
    members: [user:default/margaret.hamilton]
grants:
  - role: policy-admins
    permission: permission.policy.*
  - role: policy-admins
    permission: catalog.entity.read
conditions:
  - role: payments
    resourceType: catalog-entity
    permission: catalog.entity.read
    conditions: { rule: IS_ENTITY_OWNER, params: { claims: $ownershipRefs } }
  - role: storefront
    resourceType: catalog-entity
    permission: catalog.entity.read
    conditions: { rule: IS_ENTITY_OWNER, params: { claims: $ownershipRefs } }
`;

interface Served {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { owner?: string };
}

/**
 * `kind:namespace/name` (lowercase) of every entity of an example file, how many of each kind, and
 * the refs of those a group owns (`spec.owner` as the examples write it: `team-x` or `group:team-x`).
 */
function exampleFile(path: string) {
  const entities = parseAllDocuments(readFileSync(join(repoRoot, path), 'utf8')).map(
    (d) => d.toJS() as Served,
  );
  const kinds = new Map<string, number>();
  for (const e of entities) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const ownedBy = (group: string) =>
    entities
      .filter((e) => [group, `group:${group}`, `group:default/${group}`].includes(e.spec?.owner ?? ''))
      .map(refOf)
      .sort();
  return { refs: entities.map(refOf).sort(), kinds, ownedBy };
}

function refOf(e: Served): string {
  return `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
}

describe('catalog enforcement with the real permission service (e2e)', () => {
  let dir: string;
  let idp: TestOidcProvider;
  let gateway: PortalProcess;
  let permission: PortalProcess;
  const catalogs: PortalProcess[] = [];
  let ada: SignedInUser;
  let grace: SignedInUser;
  let margaret: SignedInUser;
  // Everything in the payments system is owned by team-payments or by Ada; likewise storefront.
  const payments = exampleFile('examples/systems/payments.yaml');
  const storefront = exampleFile('examples/systems/storefront.yaml');

  const bearer = (user: SignedInUser) => ({ authorization: `Bearer ${user.token}` });
  const byQuery = (base: string, user: SignedInUser) =>
    getJson(`${base}/api/catalog/entities/by-query?limit=100`, { headers: bearer(user) });
  const visibleRefs = async (base: string, user: SignedInUser): Promise<string[]> => {
    const res = await byQuery(base, user);
    if (res.status !== 200) throw new Error(`by-query: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.items as Served[]).map(refOf).sort();
  };
  const admin = (path: string, method: string, body?: unknown) =>
    getJson(`${gateway.url}/api/permission${path}`, {
      method,
      headers: { ...bearer(margaret), 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-enforcement-e2e-'));
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        LOG_LEVEL: 'info',
        APP_CONFIG_permission_enabled: 'true',
        APP_CONFIG_permission_policyFile: policyFile,
        APP_CONFIG_permission_registry_discoverEveryMs: '500',
        APP_CONFIG_catalog_locations: JSON.stringify([
          { type: 'file', target: join(repoRoot, 'examples/all.yaml') },
        ]),
        APP_CONFIG_catalog_stitchingStrategy: JSON.stringify({
          settleTime: { milliseconds: 100 },
          bulkSettleTime: { milliseconds: 200 },
          pollingInterval: { milliseconds: 200 },
        }),
        APP_CONFIG_catalog_processing_pollingInterval: JSON.stringify({ milliseconds: 200 }),
      },
    });
    idp = await startTestOidcProvider({
      redirectUri: `${env.PORTAL_GATEWAY_URL}/api/auth/oidc/handler/frame`,
      accounts: {
        ada: { email: 'ada.lovelace@acme.example', name: 'Ada Lovelace' },
        grace: { email: 'grace.hopper@acme.example', name: 'Grace Hopper' },
        margaret: { email: 'margaret.hamilton@acme.example', name: 'Margaret Hamilton' },
      },
    });
    env.APP_CONFIG_auth_providers_oidc = oidcProviderConfig(idp);
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    const [permissionProcess, ...catalogProcesses] = await Promise.all([
      PortalProcess.start('permission', env),
      PortalProcess.start('catalog', env),
      PortalProcess.start('catalog', env),
    ]);
    permission = permissionProcess;
    catalogs.push(...catalogProcesses);
    for (const p of [permission, ...catalogs]) {
      await waitFor(
        `${p.app} ${p.httpPort} ready`,
        async () => {
          if (!p.alive) throw new Error(`${p.app} exited:\n${p.logs().slice(-3000)}`);
          return (await getJson(`${p.url}/.backstage/health/v1/readiness`)).status === 200;
        },
        60_000,
      );
    }
    // Sign-in resolves users in the catalog: it succeeds once the example users are ingested.
    margaret = await waitFor(
      'Margaret to sign in',
      () => signInWithOidc(gateway.url, idp, 'margaret'),
      60_000,
      300,
    );
    await waitFor(
      'the example organisation, on both replicas',
      async () => {
        for (const c of catalogs) {
          const res = await byQuery(c.url, margaret);
          if (res.status !== 200 || res.body.totalItems !== EXAMPLE_ENTITIES) return false;
        }
        return true;
      },
      60_000,
      200,
    );
    // Group memberships come from the catalog: sign in once everything is there.
    // One at a time: the test IdP signs in whichever account was chosen last.
    ada = await signInWithOidc(gateway.url, idp, 'ada');
    grace = await signInWithOidc(gateway.url, idp, 'grace');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), permission?.stop(), ...catalogs.map((c) => c.stop())]);
    await idp?.close();
    await dropTestDatabases(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('signs users in with their groups from the example organisation', () => {
    expect(ada.ownershipEntityRefs).toEqual(
      expect.arrayContaining([
        'user:default/ada.lovelace',
        'group:default/team-payments',
        'group:default/engineering',
      ]),
    );
    expect(grace.ownershipEntityRefs).toContain('group:default/team-storefront');
    expect(grace.ownershipEntityRefs).not.toContain('group:default/team-payments');
  });

  it('two users in different groups see different catalogs, on every read path and every replica', async () => {
    expect(payments.refs.length).toBeGreaterThan(3);
    expect(storefront.refs.length).toBeGreaterThan(3);
    for (const base of [gateway.url, ...catalogs.map((c) => c.url)]) {
      expect(await visibleRefs(base, ada)).toEqual(payments.refs);
      expect(await visibleRefs(base, grace)).toEqual(storefront.refs);
    }
    const api = (path: string, user: SignedInUser) =>
      getJson(`${gateway.url}/api/catalog${path}`, { headers: bearer(user) });
    // by-query totals are filtered too.
    expect((await api('/entities/by-query?limit=1', ada)).body.totalItems).toBe(payments.refs.length);
    expect((await api('/entities/by-query?limit=1', grace)).body.totalItems).toBe(storefront.refs.length);

    // by-name: the other team's entity does not exist for you.
    const [kind, rest] = storefront.refs[0]!.split(':') as [string, string];
    const storefrontPath = `/entities/by-name/${kind}/${rest}`;
    expect((await api(storefrontPath, grace)).status).toBe(200);
    const hidden = await api(storefrontPath, ada);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.name).toBe('NotFoundError');
    // Users and groups are owned by nobody: invisible to both.
    expect((await api('/entities/by-name/user/default/ada.lovelace', ada)).status).toBe(404);

    // by-refs: null for what you may not read.
    const refs = await getJson(`${gateway.url}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers: { ...bearer(ada), 'content-type': 'application/json' },
      body: JSON.stringify({ entityRefs: [payments.refs[0], storefront.refs[0]] }),
    });
    expect((refs.body.items as Array<Served | null>).map((e) => (e ? refOf(e) : null))).toEqual([
      payments.refs[0],
      null,
    ]);

    // Facets count only what you may read.
    const facets = async (user: SignedInUser) =>
      Object.fromEntries(
        (
          (await api('/entity-facets?facet=kind', user)).body.facets.kind as Array<{
            value: string;
            count: number;
          }>
        ).map((f) => [f.value, f.count]),
      );
    expect(await facets(ada)).toEqual(Object.fromEntries(payments.kinds));
    expect(await facets(grace)).toEqual(Object.fromEntries(storefront.kinds));
  });

  it('an admin changes a runtime role; every catalog replica applies it within a second', async () => {
    // Not an admin: Grace may not change the policy.
    const refused = await getJson(`${gateway.url}/api/permission/roles`, {
      method: 'POST',
      headers: { ...bearer(grace), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sneaky', members: [grace.userEntityRef] }),
    });
    expect(refused.status).toBe(403);

    // A runtime role that may read what team-payments owns, with no members yet.
    expect((await admin('/roles', 'POST', { name: 'payments-visitors', members: [] })).status).toBe(201);
    const condition = await admin('/conditions', 'POST', {
      role: 'payments-visitors',
      resourceType: 'catalog-entity',
      permission: 'catalog.entity.read',
      conditions: { rule: 'IS_ENTITY_OWNER', params: { claims: ['group:default/team-payments'] } },
    });
    expect(condition.status).toBe(201);
    for (const c of catalogs) expect(await visibleRefs(c.url, grace)).toEqual(storefront.refs);

    const teamPaymentsOwns = payments.ownedBy('team-payments');
    // Ada's own component is owned by her, not by her team.
    expect(teamPaymentsOwns.length).toBe(payments.refs.length - 1);
    const changedAt = Date.now();
    const changed = await admin('/roles/payments-visitors', 'PUT', { members: [grace.userEntityRef] });
    expect(changed.status).toBe(200);
    // Each replica, addressed directly, polled until Grace sees more than her team's entities.
    const elapsed = await Promise.all(
      catalogs.map(async (c) => {
        await waitFor(
          `catalog ${c.httpPort} to apply the change`,
          async () => (await visibleRefs(c.url, grace)).length > storefront.refs.length,
          2000,
          20,
        );
        return Date.now() - changedAt;
      }),
    );
    for (const ms of elapsed) expect(ms).toBeLessThan(1000);
    // What she sees now: her team's and what team-payments owns (not Ada's own component).
    const expected = [...storefront.refs, ...teamPaymentsOwns].sort();
    for (const c of catalogs) expect(await visibleRefs(c.url, grace)).toEqual(expected);
    // Ada is unaffected.
    for (const c of catalogs) expect(await visibleRefs(c.url, ada)).toEqual(payments.refs);

    // The change is audited with who made it.
    const audit = await admin('/audit?limit=5', 'GET');
    expect(audit.body.items[0]).toMatchObject({
      actor: margaret.userEntityRef,
      action: 'role.update',
      subject: 'payments-visitors',
      after: { members: [grace.userEntityRef] },
    });

    // And back: removed within a second everywhere too.
    const revokedAt = Date.now();
    expect((await admin('/roles/payments-visitors', 'PUT', { members: [] })).status).toBe(200);
    await Promise.all(
      catalogs.map((c) =>
        waitFor(
          `catalog ${c.httpPort} to revoke`,
          async () => (await visibleRefs(c.url, grace)).join() === storefront.refs.join(),
          2000,
          20,
        ),
      ),
    );
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('fails closed: with the permission service stopped, catalog reads are 503 on every replica', async () => {
    await permission.stop();
    for (const base of [...catalogs.map((c) => c.url), gateway.url]) {
      const res = await byQuery(base, ada);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ name: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(res.body)).not.toContain('payment');
      const byName = await getJson(
        `${base}/api/catalog/entities/by-name/${payments.refs[0]!.replace(':', '/')}`,
        {
          headers: bearer(ada),
        },
      );
      expect(byName.status).toBe(503);
    }
  });
});
