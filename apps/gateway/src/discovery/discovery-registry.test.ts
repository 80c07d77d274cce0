import { pino } from 'pino';
import { discoveryV1 } from '@portal/proto';
import { NotFoundError, PLATFORM_VERSION, PublicKeyStore, SigningKey } from '@portal/platform';
import { DiscoveryRegistry, type RegistryEvent } from './discovery-registry.js';
import { MemoryRegistryStore } from './memory-registry-store.js';

const logger = pino({ level: 'silent' });

async function instance(pluginId: string, instanceId: string, port: number): Promise<discoveryV1.Instance> {
  const key = await SigningKey.generate();
  return {
    pluginId,
    instanceId,
    httpAddress: `http://127.0.0.1:${port}`,
    grpcAddress: `127.0.0.1:${port + 1}`,
    version: '1.0.0',
    manifestJson: JSON.stringify({
      id: pluginId,
      version: '1.0.0',
      platform: `^${PLATFORM_VERSION}`,
      title: pluginId,
    }),
    publicKeyJwk: JSON.stringify(key.publicJwk()),
    registeredAtMs: 0,
    lastHeartbeatAtMs: 0,
  };
}

describe('DiscoveryRegistry', () => {
  let now = 1_000_000;
  let keys: PublicKeyStore;
  let registry: DiscoveryRegistry;
  let events: RegistryEvent[];

  beforeEach(() => {
    keys = new PublicKeyStore();
    registry = new DiscoveryRegistry(new MemoryRegistryStore(), keys, logger, {
      heartbeatIntervalMs: 1000,
      ttlMs: 3000,
      now: () => now,
    });
    events = [];
    registry.on('change', (e: RegistryEvent) => events.push(e));
  });

  it('registers, publishes keys and events, and lists plugins with their manifests', async () => {
    const a = await instance('catalog', 'catalog-a', 7100);
    await registry.register(a);
    await registry.register(await instance('catalog', 'catalog-b', 7200));
    await registry.register(await instance('search', 'search-a', 7300));
    expect(registry.plugins()).toEqual([
      expect.objectContaining({ id: 'catalog', instances: 2, title: 'catalog' }),
      expect.objectContaining({ id: 'search', instances: 1 }),
    ]);
    expect(keys.find('catalog', JSON.parse(a.publicKeyJwk).kid)).toBeDefined();
    expect(events.map((e) => [e.type, e.instance.instanceId])).toEqual([
      [discoveryV1.WatchEvent_Type.TYPE_ADDED, 'catalog-a'],
      [discoveryV1.WatchEvent_Type.TYPE_ADDED, 'catalog-b'],
      [discoveryV1.WatchEvent_Type.TYPE_ADDED, 'search-a'],
    ]);
  });

  it('refuses bad addresses and ids', async () => {
    const good = await instance('catalog', 'catalog-a', 7100);
    await expect(registry.register({ ...good, httpAddress: 'file:///etc/passwd' })).rejects.toThrow(
      /httpAddress/,
    );
    await expect(registry.register({ ...good, grpcAddress: 'nope' })).rejects.toThrow(/grpcAddress/);
    await expect(registry.register({ ...good, instanceId: '../x' })).rejects.toThrow(/instanceId/);
    await expect(registry.register({ ...good, publicKeyJwk: '{' })).rejects.toThrow(/publicKeyJwk/);
  });

  it('round-robins and routes around an instance that refused a connection until it heartbeats', async () => {
    const a = await instance('catalog', 'catalog-a', 7100);
    const b = await instance('catalog', 'catalog-b', 7200);
    await registry.register(a);
    await registry.register(b);
    expect(
      [registry.pick('catalog'), registry.pick('catalog'), registry.pick('catalog')].map(
        (i) => i?.instanceId,
      ),
    ).toEqual(['catalog-a', 'catalog-b', 'catalog-a']);
    registry.markUnreachable(a);
    expect([registry.pick('catalog'), registry.pick('catalog')].map((i) => i?.instanceId)).toEqual([
      'catalog-b',
      'catalog-b',
    ]);
    await registry.heartbeat('catalog', 'catalog-a');
    expect(new Set([registry.pick('catalog')?.instanceId, registry.pick('catalog')?.instanceId])).toEqual(
      new Set(['catalog-a', 'catalog-b']),
    );
  });

  it('expires instances that stop heartbeating, and says NOT_FOUND to their late heartbeats', async () => {
    const a = await instance('catalog', 'catalog-a', 7100);
    await registry.register(a);
    now += 2000;
    await registry.heartbeat('catalog', 'catalog-a');
    now += 2500;
    await registry.sync();
    expect(registry.list('catalog')).toHaveLength(1);
    now += 3001;
    await registry.sync();
    expect(registry.list('catalog')).toHaveLength(0);
    expect(registry.isKnown('catalog')).toBe(true);
    expect(registry.pick('catalog')).toBeUndefined();
    expect(keys.find('catalog', JSON.parse(a.publicKeyJwk).kid)).toBeUndefined();
    expect(events.at(-1)?.type).toBe(discoveryV1.WatchEvent_Type.TYPE_REMOVED);
    await expect(registry.heartbeat('catalog', 'catalog-a')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deregisters at once', async () => {
    await registry.register(await instance('catalog', 'catalog-a', 7100));
    await registry.deregister('catalog', 'catalog-a');
    expect(registry.plugins()).toEqual([]);
  });

  it("announces the gateway replicas' service keys to watchers through the store, never as a plugin", async () => {
    const store = new MemoryRegistryStore();
    const options = { heartbeatIntervalMs: 1000, ttlMs: 3000, now: () => now };
    const a = new DiscoveryRegistry(store, new PublicKeyStore(), logger, options);
    const b = new DiscoveryRegistry(store, new PublicKeyStore(), logger, options);
    const seenByB: RegistryEvent[] = [];
    b.on('change', (e: RegistryEvent) => seenByB.push(e));
    const key = await SigningKey.generate();
    await a.announceOwnKey(
      discoveryV1.Instance.fromPartial({
        instanceId: 'gateway-a',
        publicKeyJwk: JSON.stringify(key.publicJwk()),
      }),
    );
    expect(a.watchSnapshot().map((i) => [i.pluginId, i.instanceId])).toEqual([['gateway', 'gateway-a']]);
    expect(a.watchSnapshot('catalog')).toEqual([]);
    // The other replica learns it from the store and tells its own watchers.
    await b.sync();
    expect(seenByB.map((e) => [e.type, e.instance.pluginId])).toEqual([
      [discoveryV1.WatchEvent_Type.TYPE_ADDED, 'gateway'],
    ]);
    expect(b.watchSnapshot().map((i) => i.instanceId)).toEqual(['gateway-a']);
    expect([a.plugins(), b.plugins(), a.list(), b.pick('gateway')]).toEqual([[], [], [], undefined]);
    expect(b.isKnown('gateway')).toBe(false);
    // A keeps its lease; once A stops syncing, the key expires and B says so.
    now += 2000;
    await a.sync();
    now += 2000;
    await b.sync();
    expect(b.watchSnapshot()).toHaveLength(1);
    now += 3001;
    await b.sync();
    expect(b.watchSnapshot()).toEqual([]);
    expect(seenByB.at(-1)?.type).toBe(discoveryV1.WatchEvent_Type.TYPE_REMOVED);
  });
});
