import { pino } from 'pino';
import { fakePluginHttp, json, startLoopback, type Loopback } from '../testing/loopback.js';
import { ConditionsApplier, type ApplyItem } from './conditions-applier.js';

const logger = pino({ level: 'silent' });
const conditions = {
  rule: 'IS_ENTITY_OWNER',
  resourceType: 'catalog-entity',
  params: { claims: ['user:default/jane'] },
};
const item = (id: string, resourceRef: string | string[]): ApplyItem => ({
  id,
  resourceRef,
  resourceType: 'catalog-entity',
  conditions,
});

describe('ConditionsApplier', () => {
  let plugin: Loopback;
  let mode: 'ok' | 'error' | 'garbage' | 'partial' | 'hang' = 'ok';

  beforeAll(async () => {
    plugin = await startLoopback((req, body, res) => {
      if (req.url !== '/api/catalog/.well-known/backstage/permissions/apply-conditions')
        return json(res, 404, {});
      if (mode === 'hang') return;
      if (mode === 'error') return json(res, 500, { error: { name: 'Error' } });
      if (mode === 'garbage')
        return json(res, 200, { items: body.items.map((i: any) => ({ id: i.id, result: 'MAYBE' })) });
      const items = body.items.map((i: any) => ({
        id: i.id,
        result: Array.isArray(i.resourceRef)
          ? i.resourceRef.map((r: string) => (r.endsWith('/mine') ? 'ALLOW' : 'DENY'))
          : i.resourceRef.endsWith('/mine')
            ? 'ALLOW'
            : 'DENY',
      }));
      return json(res, 200, { items: mode === 'partial' ? items.slice(1) : items });
    });
  });
  afterAll(() => plugin.close());
  beforeEach(() => {
    mode = 'ok';
    plugin.requests.length = 0;
  });

  it('sends one batch per plugin as a service on behalf of the user and maps the results by id', async () => {
    const applier = new ConditionsApplier(fakePluginHttp(plugin.url), logger);
    const out = await applier.apply(
      'catalog',
      [
        item('a', 'component:default/mine'),
        item('b', 'component:default/theirs'),
        item('c', ['x:default/mine', 'y:default/no']),
      ],
      'user-token',
    );
    expect(Object.fromEntries([...out].map(([id, o]) => [id, o.result]))).toEqual({
      a: 'ALLOW',
      b: 'DENY',
      c: ['ALLOW', 'DENY'],
    });
    expect(plugin.requests).toHaveLength(1);
    expect(plugin.requests[0]).toMatchObject({
      method: 'POST',
      authorization: 'Bearer service-token-for-catalog-obo-user-token',
      body: {
        items: [
          { id: 'a', resourceRef: 'component:default/mine', resourceType: 'catalog-entity', conditions },
          expect.anything(),
          expect.anything(),
        ],
      },
    });
  });

  it.each([
    ['an error status', 'error', 'answered apply-conditions with 500'],
    ['results that are not ALLOW/DENY', 'garbage', 'no valid result'],
  ] as const)('fails closed on %s', async (_what, m, message) => {
    mode = m;
    const out = await new ConditionsApplier(fakePluginHttp(plugin.url), logger).apply('catalog', [
      item('a', 'c:default/mine'),
      item('b', ['c:default/mine']),
    ]);
    expect(out.get('a')).toEqual({ result: 'DENY', error: expect.stringContaining(message) });
    expect(out.get('b')).toEqual({ result: ['DENY'], error: expect.stringContaining(message) });
  });

  it('fails closed on a missing item', async () => {
    mode = 'partial';
    const out = await new ConditionsApplier(fakePluginHttp(plugin.url), logger).apply('catalog', [
      item('a', 'c:default/mine'),
      item('b', 'c:default/mine'),
    ]);
    expect(out.get('a')!.result).toBe('DENY');
    expect(out.get('b')!.result).toBe('ALLOW');
  });

  it('fails closed when the plugin hangs (deadline), is unreachable or has no instance', async () => {
    mode = 'hang';
    const started = Date.now();
    const hung = await new ConditionsApplier(fakePluginHttp(plugin.url), logger, 300).apply('catalog', [
      item('a', 'c:default/mine'),
    ]);
    expect(hung.get('a')).toEqual({
      result: 'DENY',
      error: expect.stringContaining('could not apply conditions'),
    });
    expect(Date.now() - started).toBeLessThan(3000);

    const refused = await new ConditionsApplier(fakePluginHttp('http://127.0.0.1:1'), logger).apply(
      'catalog',
      [item('a', 'c:default/mine')],
    );
    expect(refused.get('a')!.result).toBe('DENY');
    const none = await new ConditionsApplier(fakePluginHttp(undefined), logger).apply('catalog', [
      item('a', 'c:default/mine'),
    ]);
    expect(none.get('a')).toEqual({ result: 'DENY', error: "plugin 'catalog' is not available" });
  });
});
