import { Config } from '@portal/platform';
import type { EntityProviderConnection, EntityProviderMutation } from './entity-provider.js';
import { PushProvider, PushProviderRegistry } from './push-provider-registry.js';

function fakeConnection(log: string[]): EntityProviderConnection {
  return {
    async applyMutation(mutation: EntityProviderMutation) {
      log.push(mutation.type);
      return { added: 1, updated: 0, deleted: 0, conflicts: [] };
    },
    async refresh(options) {
      log.push(`refresh ${options.keys.join(',')}`);
    },
  };
}

describe('PushProviderRegistry', () => {
  it('holds the providers of catalog.providers.push, each with its own source key', () => {
    const registry = PushProviderRegistry.fromConfig(
      Config.fromObject({ catalog: { providers: { push: [{ name: 'ci' }, { name: 'webhooks' }] } } }),
    );
    expect(registry.names()).toEqual(['ci', 'webhooks']);
    expect(registry.providers().map((p) => p.name)).toEqual(['push:ci', 'push:webhooks']);
    expect(registry.get('ci')).toBeInstanceOf(PushProvider);
    expect(new PushProviderRegistry().providers()).toEqual([]);
  });

  it('forwards mutations to the connected provider', async () => {
    const log: string[] = [];
    const registry = new PushProviderRegistry(['ci']);
    await registry.get('ci').connect(fakeConnection(log));
    expect(await registry.applyMutation('ci', { type: 'full', entities: [] })).toEqual({
      added: 1,
      updated: 0,
      deleted: 0,
      conflicts: [],
    });
    await registry.get('ci').refresh(['url:https://x']);
    expect(log).toEqual(['full', 'refresh url:https://x']);
  });

  it('refuses unknown names, unconnected providers, bad and duplicate names', async () => {
    const registry = new PushProviderRegistry(['ci']);
    await expect(registry.applyMutation('nope', { type: 'full', entities: [] })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(registry.applyMutation('ci', { type: 'full', entities: [] })).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect(() => new PushProviderRegistry(['Bad Name'])).toThrow(/must be 1-63 lowercase/);
    expect(() => new PushProviderRegistry(['x', 'x'])).toThrow(/configured twice/);
  });
});
