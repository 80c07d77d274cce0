/**
 * The permission service as real processes (the gateway and two permission replicas) with a
 * policy file of the test's own, a plugin of the test's own (registered through discovery) that
 * publishes permission metadata and applies conditions, and Backstage's own PermissionClient.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PermissionClient,
  type AuthorizePermissionRequest,
  type BasicPermission,
  type QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import { pino } from 'pino';
import { permissionV1 } from '@portal/proto';
import {
  DiscoveryClient,
  GrpcClients,
  PLATFORM_VERSION,
  PublicKeyStore,
  Readiness,
  ServiceTokenIssuer,
  SigningKey,
} from '@portal/platform';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

const prefix = testDatabasePrefix();
const logger = pino({ level: 'silent' });
const adminToken = 'permission-admin-token-0123456789';
const GUEST = 'user:development/guest';

const policyV1 = `
roles:
  - name: viewers
    members: [${GUEST}]
  - name: robots
    members: ['plugin:fakeplugin']
grants:
  - role: viewers
    permission: catalog.location.read
  - role: robots
    permission: robot.run
conditions:
  - role: viewers
    resourceType: fakeplugin-item
    action: read
    conditions:
      rule: IS_OWNER
      params: { claims: $ownershipRefs }
  - role: viewers
    resourceType: ghost-item
    conditions: { rule: ANYTHING }
`;

const basic = (name: string, action?: 'read' | 'create'): BasicPermission => ({
  type: 'basic',
  name,
  attributes: action ? { action } : {},
});
const itemRead = {
  type: 'resource',
  name: 'fakeplugin.item.read',
  attributes: { action: 'read' },
  resourceType: 'fakeplugin-item',
} as const;

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString() || '{}');
}

describe('permission service', () => {
  let dir: string;
  let policyFile: string;
  let gateway: PortalProcess;
  const replicas: PortalProcess[] = [];
  let upstream: Server;
  let discovery: DiscoveryClient;
  let clients: GrpcClients;
  let issuer: ServiceTokenIssuer;
  let guestToken: string;
  const applyCalls: any[] = [];

  const client = new PermissionClient({
    discovery: { getBaseUrl: async (id: string) => `${gateway.url}/api/${id}` },
    config: {
      getOptionalBoolean: (key: string) => (key === 'permission.enabled' ? true : undefined),
    } as never,
  });
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const guest = () => ({ authorization: `Bearer ${guestToken}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'permission-test-'));
    policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, policyV1);
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        APP_CONFIG_permission_policyFile: policyFile,
        APP_CONFIG_permission_superUsers: JSON.stringify(['external:admin']),
        APP_CONFIG_permission_registry_discoverEveryMs: '500',
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token: adminToken, subject: 'admin' } },
        ]),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    replicas.push(await PortalProcess.start('permission', env), await PortalProcess.start('permission', env));

    // The test's plugin: publishes a rule and applies conditions (its caller's items recorded).
    upstream = createServer((req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/api/fakeplugin/.well-known/backstage/permissions/metadata') {
        json(200, {
          permissions: [itemRead],
          rules: [
            {
              name: 'IS_OWNER',
              description: 'owned by one of the claims',
              resourceType: 'fakeplugin-item',
              paramsSchema: {
                type: 'object',
                properties: { claims: { type: 'array', items: { type: 'string' } } },
                required: ['claims'],
                additionalProperties: false,
              },
            },
          ],
        });
        return;
      }
      if (req.url === '/api/fakeplugin/.well-known/backstage/permissions/apply-conditions') {
        void readBody(req).then((body) => {
          applyCalls.push({ body, authorization: req.headers.authorization });
          json(200, {
            items: body.items.map((item: any) => {
              const claims: string[] = item.conditions.params?.claims ?? [];
              const owner =
                item.resourceRef === 'fakeplugin-item:default/mine' ? GUEST : 'user:default/other';
              return { id: item.id, result: claims.includes(owner) ? 'ALLOW' : 'DENY' };
            }),
          });
        });
        return;
      }
      res.writeHead(404).end();
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const port = (upstream.address() as { port: number }).port;
    const key = await SigningKey.generate();
    const readiness = new Readiness();
    discovery = new DiscoveryClient({
      gatewayAddress: `127.0.0.1:${gatewayPorts.grpc}`,
      secret: env.PORTAL_DISCOVERY_SECRET!,
      logger,
      readiness,
      keyStore: new PublicKeyStore(),
      heartbeatIntervalMs: 300,
    });
    discovery.start({
      pluginId: 'fakeplugin',
      instanceId: 'fakeplugin-1',
      httpAddress: `http://127.0.0.1:${port}`,
      grpcAddress: '',
      version: '1.0.0',
      manifestJson: JSON.stringify({ id: 'fakeplugin', version: '1.0.0', platform: `^${PLATFORM_VERSION}` }),
      publicKeyJwk: JSON.stringify(key.publicJwk()),
    });
    issuer = new ServiceTokenIssuer('fakeplugin', key);
    clients = new GrpcClients(discovery, issuer, logger);
    await waitFor('the test plugin to register', () => readiness.isReady(), 30_000);
    await waitFor(
      'both permission replicas ready',
      async () => {
        const states = await Promise.all(
          replicas.map((r) => getJson(`${r.url}/.backstage/health/v1/readiness`)),
        );
        return states.every((s) => s.status === 200);
      },
      60_000,
    );
    await waitFor('two permission instances', () => discovery.instances('permission').length === 2, 30_000);
    guestToken = (await getJson(`${gateway.url}/api/auth/guest/refresh`)).body.backstageIdentity.token;
    await waitFor(
      'the registry to collect the test plugin',
      async () =>
        (await getJson(`${replicas[0]!.url}/api/permission/registry`, { headers: admin })).body.plugins?.some(
          (p: any) => p.pluginId === 'fakeplugin',
        ),
      20_000,
    );
  }, 120_000);

  afterAll(async () => {
    clients?.close();
    await discovery?.stop();
    upstream?.closeAllConnections();
    upstream?.close();
    await Promise.all([gateway?.stop(), ...replicas.map((r) => r.stop())]);
    await dropTestDatabases(prefix);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers PermissionClient.authorize through the gateway: grants, default deny, apply-conditions', async () => {
    const requests: AuthorizePermissionRequest[] = [
      { permission: basic('catalog.location.read', 'read') },
      { permission: basic('catalog.location.create', 'create') },
      { permission: itemRead, resourceRef: 'fakeplugin-item:default/mine' },
      { permission: itemRead, resourceRef: 'fakeplugin-item:default/theirs' },
    ];
    const results = await client.authorize(requests, { token: guestToken });
    expect(results.map((r) => r.result)).toEqual(['ALLOW', 'DENY', 'ALLOW', 'DENY']);
    // The plugin was asked as a service on behalf of the user, with the placeholder expanded.
    const call = applyCalls.at(-1)!;
    expect(call.body.items[0]).toMatchObject({
      resourceType: 'fakeplugin-item',
      conditions: { rule: 'IS_OWNER', resourceType: 'fakeplugin-item', params: { claims: [GUEST] } },
    });
    expect(call.authorization).toMatch(/^Bearer /);
    const [, payload] = (call.authorization as string).slice(7).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'permission', aud: 'fakeplugin', obo: guestToken });
  });

  it('refuses credential-less calls and bad bodies', async () => {
    await expect(client.authorize([{ permission: basic('x') }])).rejects.toMatchObject({
      response: { status: 401 },
    });
    const bad = await getJson(`${gateway.url}/api/permission/authorize`, {
      method: 'POST',
      headers: guest(),
      body: JSON.stringify({ items: [{ id: 'a', permission: { type: 'nope', name: 'x' } }] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('items[0].permission.type'),
    });
  });

  it('authorizeConditional: CONDITIONAL for a plugin acting for the user; 400 for a direct user', async () => {
    const obo = await issuer.issue('permission', { onBehalfOf: guestToken });
    const [decision, plain] = await client.authorizeConditional(
      [
        { permission: itemRead },
        { permission: basic('catalog.location.read', 'read') },
      ] as unknown as QueryPermissionRequest[],
      { token: obo },
    );
    expect(decision).toMatchObject({
      result: 'CONDITIONAL',
      pluginId: 'fakeplugin',
      resourceType: 'fakeplugin-item',
      conditions: { rule: 'IS_OWNER', resourceType: 'fakeplugin-item', params: { claims: [GUEST] } },
    });
    expect(plain).toMatchObject({ result: 'ALLOW' });
    await expect(
      client.authorizeConditional([{ permission: itemRead }], { token: guestToken }),
    ).rejects.toMatchObject({
      response: { status: 400 },
    });
  });

  it('gRPC Authorize: decisions for the obo user, and for the plugin alone without obo', async () => {
    const items = [
      { id: 'one', permissionJson: JSON.stringify(basic('catalog.location.read', 'read')), resourceRef: '' },
      { id: 'two', permissionJson: JSON.stringify(itemRead), resourceRef: '' },
      { id: 'three', permissionJson: JSON.stringify(itemRead), resourceRef: 'fakeplugin-item:default/mine' },
      { id: 'four', permissionJson: JSON.stringify(basic('robot.run')), resourceRef: '' },
    ];
    const forUser = await clients.unary(
      'permission',
      permissionV1.PermissionServiceClient,
      (c) => c.authorize,
      { items },
      { onBehalfOf: guestToken },
    );
    expect(forUser.items.map((d) => [d.id, d.result])).toEqual([
      ['one', 'ALLOW'],
      ['two', 'CONDITIONAL'],
      ['three', 'ALLOW'],
      ['four', 'DENY'],
    ]);
    expect(JSON.parse(forUser.items[1]!.conditionsJson)).toMatchObject({ params: { claims: [GUEST] } });
    const forPlugin = await clients.unary(
      'permission',
      permissionV1.PermissionServiceClient,
      (c) => c.authorize,
      { items },
    );
    expect(forPlugin.items.map((d) => d.result)).toEqual(['DENY', 'DENY', 'DENY', 'ALLOW']);
  });

  it('a runtime role change takes effect within a second on both replicas, audited with before/after', async () => {
    const ask = (replica: PortalProcess) =>
      getJson(`${replica.url}/api/permission/authorize`, {
        method: 'POST',
        headers: guest(),
        body: JSON.stringify({ items: [{ id: 'x', permission: basic('catalog.entity.create', 'create') }] }),
      }).then((r) => r.body.items?.[0]?.result);
    expect(await ask(replicas[0]!)).toBe('DENY');
    expect(await ask(replicas[1]!)).toBe('DENY'); // now cached on both

    // The guest may not change the policy.
    const refused = await getJson(`${replicas[0]!.url}/api/permission/roles`, {
      method: 'POST',
      headers: guest(),
      body: JSON.stringify({ name: 'creators', members: [] }),
    });
    expect(refused.status).toBe(403);

    const created = await getJson(`${replicas[0]!.url}/api/permission/roles`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'creators', members: ['group:default/nobody'] }),
    });
    expect(created.status).toBe(201);
    const grant = await getJson(`${replicas[0]!.url}/api/permission/policies`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ role: 'creators', permission: 'catalog.entity.create' }),
    });
    expect(grant.status).toBe(201);
    expect(await ask(replicas[1]!)).toBe('DENY');

    const changedAt = Date.now();
    const updated = await getJson(`${replicas[0]!.url}/api/permission/roles/creators`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ members: ['group:default/nobody', GUEST] }),
    });
    expect(updated.status).toBe(200);
    await waitFor('replica 2 to allow', async () => (await ask(replicas[1]!)) === 'ALLOW', 1000, 20);
    expect(Date.now() - changedAt).toBeLessThan(1000);
    expect(await ask(replicas[0]!)).toBe('ALLOW');

    const audit = await getJson(`${replicas[1]!.url}/api/permission/audit?limit=10`, { headers: admin });
    expect(audit.status).toBe(200);
    const update = audit.body.items.find((a: any) => a.action === 'role.update');
    expect(update).toMatchObject({
      actor: 'external:admin',
      subject: 'creators',
      before: { name: 'creators', members: ['group:default/nobody'] },
      after: { name: 'creators', members: ['group:default/nobody', GUEST] },
    });
    expect(audit.body.items.map((a: any) => a.action)).toEqual(
      expect.arrayContaining(['role.create', 'grant.create', 'role.update']),
    );

    // File-sourced policy is read-only through the API.
    const fileRole = await getJson(`${replicas[0]!.url}/api/permission/roles/viewers`, {
      method: 'PUT',
      headers: admin,
      body: JSON.stringify({ members: [] }),
    });
    expect(fileRole.status).toBe(409);
    const deleted = await fetch(`${replicas[0]!.url}/api/permission/roles/creators`, {
      method: 'DELETE',
      headers: admin,
    });
    expect(deleted.status).toBe(204);
    await waitFor('replica 2 to deny again', async () => (await ask(replicas[1]!)) === 'DENY', 1000, 20);
  });

  it('validates conditional grants against the plugin rules', async () => {
    const bad = await getJson(`${replicas[0]!.url}/api/permission/conditions`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        role: 'viewers',
        resourceType: 'fakeplugin-item',
        conditions: { rule: 'IS_OWNER', params: { claims: 'x' } },
      }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("params of rule 'IS_OWNER'");
    const unknown = await getJson(`${replicas[0]!.url}/api/permission/conditions`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        role: 'viewers',
        resourceType: 'fakeplugin-item',
        conditions: { rule: 'NOPE' },
      }),
    });
    expect(unknown.status).toBe(400);
  });

  it('explains a decision: roles and why, grants, conditions, apply-conditions outcome', async () => {
    const res = await getJson(`${gateway.url}/api/permission/explain`, {
      method: 'POST',
      headers: guest(),
      body: JSON.stringify({ permission: itemRead, resourceRef: 'fakeplugin-item:default/mine' }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      result: 'ALLOW',
      user: { userEntityRef: GUEST, resolvedFrom: 'token' },
      explanation: {
        roles: [{ name: 'viewers', matchedBy: GUEST, source: 'file' }],
        decision: { result: 'CONDITIONAL', pluginId: 'fakeplugin' },
        conditionalGrants: [{ role: 'viewers', resourceType: 'fakeplugin-item' }],
      },
      applyConditions: { pluginId: 'fakeplugin', result: 'ALLOW' },
    });
    // Another user's decision is for admins only.
    const other = { permission: basic('catalog.location.read', 'read'), user: 'user:default/jane' };
    const refused = await getJson(`${gateway.url}/api/permission/explain`, {
      method: 'POST',
      headers: guest(),
      body: JSON.stringify(other),
    });
    expect(refused.status).toBe(403);
    // No catalog runs here: the answer says the groups could not be resolved.
    const byAdmin = await getJson(`${gateway.url}/api/permission/explain`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify(other),
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({
      result: 'DENY',
      user: { userEntityRef: 'user:default/jane', resolvedFrom: 'unresolved' },
    });
    expect(byAdmin.body.user.note).toContain('catalog is unreachable');
  }, 30_000);

  it('a broken policy file mid-run keeps the old policy; a fixed one comes into force', async () => {
    const ask = () =>
      client
        .authorize(
          [
            { permission: basic('catalog.location.read', 'read') },
            { permission: basic('catalog.entity.validate') },
          ],
          { token: guestToken },
        )
        .then((r) => r.map((x) => x.result));
    expect(await ask()).toEqual(['ALLOW', 'DENY']);
    writeFileSync(policyFile, 'roles: [ {name: viewers, members: [');
    for (const replica of replicas) {
      await waitFor(
        'the error to show',
        async () =>
          (await getJson(`${replica.url}/api/permission/policy/status`, { headers: admin })).body.file?.error,
        5000,
        50,
      );
    }
    const status = await getJson(`${replicas[0]!.url}/api/permission/policy/status`, { headers: admin });
    expect(status.body.file).toMatchObject({
      loaded: true,
      error: expect.stringContaining('not valid YAML'),
    });
    expect(await ask()).toEqual(['ALLOW', 'DENY']);
    // A file that parses but does not validate is refused the same way.
    writeFileSync(policyFile, 'roles: []\ngrants: [{role: ghost, permission: x}]\n');
    await waitFor(
      'the validation error',
      async () =>
        (
          await getJson(`${replicas[0]!.url}/api/permission/policy/status`, { headers: admin })
        ).body.file?.error?.includes('ghost'),
      5000,
      50,
    );
    expect(await ask()).toEqual(['ALLOW', 'DENY']);

    writeFileSync(
      policyFile,
      policyV1.replace('grants:\n', 'grants:\n  - role: viewers\n    permission: catalog.entity.validate\n'),
    );
    await waitFor('the fixed file to apply', async () => (await ask()).join() === 'ALLOW,ALLOW', 5000, 50);
  });
  it('fails closed: a plugin that cannot apply conditions means DENY', async () => {
    const ghost = {
      type: 'resource',
      name: 'ghost.read',
      attributes: { action: 'read' },
      resourceType: 'ghost-item',
    } as const;
    const [decision] = await client.authorize([{ permission: ghost, resourceRef: 'ghost-item:default/x' }], {
      token: guestToken,
    });
    expect(decision).toMatchObject({ result: 'DENY' });
    const obo = await issuer.issue('permission', { onBehalfOf: guestToken });
    const [conditional] = await client.authorizeConditional(
      [{ permission: ghost }] as unknown as QueryPermissionRequest[],
      { token: obo },
    );
    expect(conditional).toMatchObject({ result: 'CONDITIONAL', pluginId: 'ghost' });
  });

  it('fails closed: a replica whose policy file never loaded stays unready and serves no decisions', async () => {
    const brokenFile = join(dir, 'broken.yaml');
    writeFileSync(brokenFile, 'roles: [');
    const { env } = await portalTestEnv({
      prefix,
      overrides: { APP_CONFIG_permission_policyFile: brokenFile },
    });
    // Kept away from the test's gateway (no such address), so that it never joins the round robin.
    const broken = await PortalProcess.start('permission', { ...env, PORTAL_GATEWAY_GRPC: '127.0.0.1:1' });
    try {
      const readiness = await waitFor(
        'the replica to report why it is not ready',
        async () => {
          const r = await getJson(`${broken.url}/.backstage/health/v1/readiness`);
          return r.status === 503 && JSON.stringify(r.body).includes('permission policy has not been loaded')
            ? r
            : undefined;
        },
        30_000,
      );
      expect(readiness.status).toBe(503);
      const res = await getJson(`${broken.url}/api/permission/authorize`, {
        method: 'POST',
        headers: guest(),
        body: JSON.stringify({ items: [{ id: 'a', permission: basic('catalog.location.read', 'read') }] }),
      });
      expect(res.status).toBe(503);
    } finally {
      await broken.stop();
    }
  });
});
