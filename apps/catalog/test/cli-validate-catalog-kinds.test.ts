/**
 * `portal catalog validate --catalog-url`: the built CLI as a CI job runs it, against a real portal
 * (gateway + catalog on PostgreSQL). The catalog has a kind from its config (`catalog.kinds`) and one
 * stored at runtime with `PUT /api/catalog/kinds`; the CLI reads both through the gateway and judges
 * descriptors exactly as the catalog's own `POST /validate-entity` does (same problems, same
 * messages), also for the refs of relation fields. A saved `GET /api/catalog/kinds` answer works
 * offline as a `--kinds` file.
 */
import { jest } from '@jest/globals';
import { parse } from 'yaml';
import { ensureBuilt, runPortal } from '../../../tools/cli/src/testing/built-cli.js';
import { TempDir } from '../../../tools/cli/src/testing/fixtures.js';
import {
  dropTestDatabases,
  getJson,
  PortalProcess,
  portalTestEnv,
  testDatabasePrefix,
  waitFor,
} from '../../../test/support/portal-process.js';

jest.setTimeout(120_000);

const prefix = testDatabasePrefix();
const token = 'cli-validate-test-token-0123456789abc';

const widgetKind = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  specSchema: {
    type: 'object',
    required: ['owner', 'size'],
    properties: { owner: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1 } },
  },
  // No defaultKind: a ref without a kind is an error, as in the catalog.
  relations: [{ field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf' }],
};

const widget = (name: string, spec: string) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec: ${spec}\n`;

const DESCRIPTORS = {
  'good/widget.yaml': widget('sprocket', '{owner: "group:team-a", size: 3}'),
  'good/gadget.yaml':
    'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g1\nspec: {colour: red}\n',
  'bad/size.yaml': widget('cog', '{owner: "group:team-a", size: big}'),
  'bad/owner-ref.yaml': widget('lever', '{owner: team-a, size: 1}'),
  'bad/gadget.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g2\nspec: {colour: 7}\n',
};

describe('portal catalog validate against a running catalog', () => {
  let gateway: PortalProcess;
  let catalog: PortalProcess;
  const dir = new TempDir();
  const run = (args: string[], env: Record<string, string> = {}) =>
    runPortal(['catalog', 'validate', ...args], dir.path, { PORTAL_ROOT: dir.path, ...env });
  const call = (method: string, path: string, body?: unknown) =>
    getJson(`${gateway.url}/api/catalog${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  beforeAll(async () => {
    ensureBuilt();
    for (const [path, text] of Object.entries(DESCRIPTORS)) dir.write(path, text);
    const { env, gatewayPorts } = await portalTestEnv({
      prefix,
      overrides: {
        APP_CONFIG_backend_auth_externalAccess: JSON.stringify([
          { type: 'static', options: { token, subject: 'ci' } },
        ]),
        APP_CONFIG_catalog_kinds: JSON.stringify([
          {
            apiVersion: 'example.com/v1',
            kind: 'Gadget',
            specSchema: { type: 'object', properties: { colour: { type: 'string' } } },
          },
        ]),
      },
    });
    gateway = await PortalProcess.start('gateway', env, gatewayPorts);
    catalog = await PortalProcess.start('catalog', env);
    await waitFor(
      'the catalog is ready behind the gateway',
      async () => (await getJson(`${gateway.url}/api/catalog/.backstage/health/v1/readiness`)).status === 200,
      60_000,
    );
    expect((await call('PUT', '/kinds/Widget', widgetKind)).status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), catalog?.stop()]);
    await dropTestDatabases(prefix);
    dir.remove();
  });

  it('does not know the custom kinds without the catalog', () => {
    const result = run(['good']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('kind: unknown kind "Widget"');
    expect(result.stdout).toContain('kind: unknown kind "Gadget"');
  });

  it("accepts valid entities of the catalog's configured and runtime kinds, with the token from PORTAL_TOKEN", () => {
    const result = run(['good', '--catalog-url', gateway.url, '--format', 'json'], { PORTAL_TOKEN: token });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      valid: true,
      summary: { files: 2, entities: 2, problems: 0 },
      catalogUrl: `${gateway.url}/api/catalog/kinds`,
    });
    expect(report.customKinds.map((k: { kind: string }) => k.kind).sort()).toEqual(['Gadget', 'Widget']);
  });

  it("reports exactly the problems the catalog's own validate-entity reports", async () => {
    const result = run(['bad', '--catalog-url', gateway.url, '--token', token, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const files = JSON.parse(result.stdout).files as Array<{
      path: string;
      problems: Array<{ path?: string; message: string }>;
    }>;
    expect(files.map((file) => file.path)).toEqual([
      'bad/gadget.yaml',
      'bad/owner-ref.yaml',
      'bad/size.yaml',
    ]);
    for (const file of files) {
      const entity: unknown = parse(DESCRIPTORS[file.path as keyof typeof DESCRIPTORS]);
      const served = await call('POST', '/validate-entity', {
        entity,
        location: 'url:https://example.com/x.yaml',
      });
      expect(served.status).toBe(400);
      const messages = (served.body.errors as Array<{ message: string }>).map((e) => e.message);
      expect(messages.length).toBeGreaterThan(0);
      expect(file.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))).toEqual(messages);
    }
    // The relation field is checked too: `team-a` names no kind and Widget has no defaultKind.
    expect(files[1]!.problems).toEqual([
      expect.objectContaining({ entityRef: 'Widget:default/lever', path: 'spec.owner' }),
    ]);
  });

  it('exits 2 naming the URL when the catalog refuses the request', () => {
    const result = run(['good', '--catalog-url', gateway.url, '--token', 'not-a-valid-token']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^portal: cannot read the kinds of the catalog at ${gateway.url}/api/catalog/kinds: it answered 401`,
      ),
    );
  });

  it('validates offline against a saved GET /api/catalog/kinds answer', async () => {
    const saved = await call('GET', '/kinds');
    dir.write('kinds.json', JSON.stringify(saved.body));
    const result = run(['good', 'bad/size.yaml', '--kinds', 'kinds.json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✔ good/widget.yaml (1 entity)');
    expect(result.stdout).toContain('document #1 Widget:default/cog  spec.size: must be integer');
    expect(result.stdout).toContain('3 files, 3 entities, 1 problem');
  });
});
