import { KindRegistry } from '@portal/catalog-model';
import { Config, type Principal } from '@portal/platform';
import pino from 'pino';
import type { EntityProviderMutation, MutationSummary } from '../ingestion/entity-provider.js';
import type { PushProviderRegistry } from '../ingestion/push-provider-registry.js';
import { parsePushBody, PushService } from './push-service.js';
import { readPushSettings } from './push-settings.js';

const ci: Principal = { type: 'external', subject: 'external:ci' };
const other: Principal = { type: 'external', subject: 'external:other' };

const component = (
  name: string,
  spec: Record<string, unknown> = { type: 'service', lifecycle: 'production', owner: 'team-a' },
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name },
  spec,
});

function setup(
  push: Array<{ name: string; allow?: string[]; maxEntities?: number }> = [
    { name: 'ci', allow: ['ci'], maxEntities: 3 },
  ],
) {
  const applied: Array<{ name: string; mutation: EntityProviderMutation }> = [];
  const providers = {
    applyMutation: async (name: string, mutation: EntityProviderMutation): Promise<MutationSummary> => {
      applied.push({ name, mutation });
      return { added: 1, updated: 0, deleted: 0, conflicts: [] };
    },
  } as unknown as PushProviderRegistry;
  const service = new PushService({
    providers,
    settings: readPushSettings(Config.fromObject({ catalog: { providers: { push } } })),
    kinds: new KindRegistry(),
    logger: pino({ level: 'silent' }),
  });
  return { service, applied };
}

describe('PushService', () => {
  it('applies a valid full mutation under provider-owned location keys', async () => {
    const { service, applied } = setup();
    const summary = await service.apply(
      'ci',
      parsePushBody({
        type: 'full',
        entities: [{ entity: component('a') }, { entity: component('b'), locationKey: 'repo-1' }],
      }),
      ci,
    );
    expect(summary).toEqual({ added: 1, updated: 0, deleted: 0, conflicts: [] });
    expect(applied).toEqual([
      {
        name: 'ci',
        mutation: {
          type: 'full',
          entities: [
            { entity: component('a'), locationKey: 'push:ci' },
            { entity: component('b'), locationKey: 'push:ci:repo-1' },
          ],
        },
      },
    ]);
  });

  it('turns a delta into added and removed refs', async () => {
    const { service, applied } = setup();
    await service.apply(
      'ci',
      parsePushBody({
        type: 'delta',
        entities: [{ entity: component('a') }],
        removed: [{ entityRef: 'component:b' }],
      }),
      ci,
    );
    expect(applied[0]!.mutation).toEqual({
      type: 'delta',
      added: [{ entity: component('a'), locationKey: 'push:ci' }],
      removed: [{ entityRef: 'component:default/b' }],
    });
  });

  it('refuses unknown providers (404) and callers not listed (403), users by default', async () => {
    const { service, applied } = setup();
    const body = parsePushBody({ type: 'full', entities: [] });
    await expect(service.apply('nope', body, ci)).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(service.apply('ci', body, other)).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      service.apply('ci', body, {
        type: 'user',
        userEntityRef: 'user:default/ci',
        ownershipEntityRefs: [],
        token: 't',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(service.apply('ci', body, undefined)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(applied).toEqual([]);
  });

  it('refuses the whole mutation when one entity is invalid, naming its index and the problem', async () => {
    const { service, applied } = setup();
    const bad = component('b', { type: 'service', lifecycle: 'production' });
    await expect(
      service.apply(
        'ci',
        parsePushBody({ type: 'full', entities: [{ entity: component('a') }, { entity: bad }] }),
        ci,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/entities\[1\] \(component:default\/b\) is invalid: spec\.owner/),
    });
    await expect(
      service.apply(
        'ci',
        parsePushBody({ type: 'full', entities: [{ entity: { ...component('a'), kind: 'Widget' } }] }),
        ci,
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('unknown kind "Widget"') });
    await expect(
      service.apply('ci', parsePushBody({ type: 'full', entities: [{}] }), ci),
    ).rejects.toMatchObject({
      message: expect.stringContaining('entities[0].entity is required'),
    });
    await expect(
      service.apply('ci', parsePushBody({ type: 'delta', removed: [{ entityRef: 'nope' }] }), ci),
    ).rejects.toMatchObject({ message: expect.stringContaining('removed[0].entityRef') });
    await expect(
      service.apply('ci', parsePushBody({ type: 'full', removed: [{ entityRef: 'component:a' }] }), ci),
    ).rejects.toMatchObject({ message: expect.stringContaining('only applies to delta') });
    expect(applied).toEqual([]);
  });

  it('refuses more entities than the provider allows (413)', async () => {
    const { service } = setup();
    const entities = ['a', 'b', 'c', 'd'].map((n) => ({ entity: component(n) }));
    await expect(service.apply('ci', parsePushBody({ type: 'full', entities }), ci)).rejects.toMatchObject({
      name: 'PayloadTooLargeError',
      message: expect.stringContaining('at most 3'),
    });
  });

  it('reads bodies strictly', () => {
    expect(() => parsePushBody([])).toThrow(/JSON object/);
    expect(() => parsePushBody({ type: 'replace' })).toThrow(/type must be/);
    expect(() => parsePushBody({ type: 'full', entities: {} })).toThrow(/entities must be a list/);
    expect(() => parsePushBody({ type: 'delta', added: [] })).toThrow(/Unknown field 'added'/);
    expect(parsePushBody({ type: 'delta' })).toEqual({ type: 'delta', entities: [], removed: [] });
  });

  it('reads the settings with a default limit of 5000 and refuses a bad one', () => {
    expect(
      readPushSettings(Config.fromObject({ catalog: { providers: { push: [{ name: 'x' }] } } })).get('x')
        ?.maxEntities,
    ).toBe(5000);
    expect(() =>
      readPushSettings(
        Config.fromObject({ catalog: { providers: { push: [{ name: 'x', maxEntities: 0 }] } } }),
      ),
    ).toThrow(/catalog\.providers\.push\[0\]\.maxEntities/);
  });
});
