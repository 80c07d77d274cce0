import { EventEmitter } from 'node:events';
import { discoveryV1 } from '@portal/proto';
import {
  InputError,
  NotFoundError,
  type Logger,
  type PluginManifest,
  type PublicKeyStore,
} from '@portal/platform';
import { checkManifest } from './manifest-check.js';
import { instanceKey, type Instance, type RegistryStore } from './registry-store.js';

export interface RegistryOptions {
  heartbeatIntervalMs: number;
  ttlMs: number;
  /** How often the local view is reconciled with the store (expiries, other replicas). */
  syncIntervalMs?: number;
  now?: () => number;
}

export interface RegistryEvent {
  type: discoveryV1.WatchEvent_Type;
  instance: Instance;
}

export interface InstalledPlugin {
  id: string;
  version: string;
  title?: string;
  manifest: PluginManifest;
  instances: number;
}

/** The plugin id the gateway's own service-token keys are announced under. */
const GATEWAY_ID = 'gateway';
const URL_PATTERN = /^https?:\/\/[^\s/]+$/;
const HOST_PORT = /^[^\s:/]+:[0-9]{1,5}$/;

/**
 * The gateway's registry of plugin instances. The store holds the truth (memory or Redis); this
 * class keeps a local view for routing, reconciles it with the store every second, publishes
 * changes to watchers, and feeds the instances' public keys to the token verifier.
 */
export class DiscoveryRegistry extends EventEmitter {
  private readonly view = new Map<string, Instance>();
  private readonly manifests = new Map<string, PluginManifest>();
  private readonly knownPlugins = new Set<string>();
  private readonly unreachableUntil = new Map<string, number>();
  private readonly cursors = new Map<string, number>();
  /** The service-token keys of the gateway replicas (this one's and, through the store, others'). */
  private readonly own = new Map<string, Instance>();
  /** This replica's own keys, whose leases it renews. */
  private readonly ownLocal = new Map<string, Instance>();
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly store: RegistryStore,
    private readonly keyStore: PublicKeyStore,
    private readonly logger: Logger,
    readonly options: RegistryOptions,
  ) {
    super();
    this.setMaxListeners(0);
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(
      () =>
        void this.sync().catch((err: Error) =>
          this.logger.warn({ err: err.message }, 'registry sync failed'),
        ),
      this.options.syncIntervalMs ?? 1000,
    );
    this.timer.unref();
    void this.sync().catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.store.close();
  }

  async register(input: Instance): Promise<void> {
    if (!input.pluginId || !input.instanceId)
      throw new InputError('Registration needs pluginId and instanceId');
    if (!URL_PATTERN.test(input.httpAddress))
      throw new InputError(`Invalid httpAddress '${input.httpAddress}'`);
    if (input.grpcAddress && !HOST_PORT.test(input.grpcAddress))
      throw new InputError(`Invalid grpcAddress '${input.grpcAddress}'`);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(input.instanceId))
      throw new InputError(`Invalid instanceId '${input.instanceId}'`);
    const manifest = checkManifest(input.pluginId, input.version, input.manifestJson);
    if (input.publicKeyJwk) {
      try {
        JSON.parse(input.publicKeyJwk);
      } catch {
        throw new InputError('publicKeyJwk is not JSON');
      }
    }
    const now = this.now();
    const instance: Instance = { ...input, registeredAtMs: now, lastHeartbeatAtMs: now };
    await this.store.put(instance, this.options.ttlMs);
    this.manifests.set(instance.pluginId, manifest);
    this.apply(instance);
    this.logger.info(
      { pluginId: instance.pluginId, instanceId: instance.instanceId, http: instance.httpAddress },
      'instance registered',
    );
  }

  async heartbeat(pluginId: string, instanceId: string): Promise<void> {
    const instance = await this.store.touch(pluginId, instanceId, this.options.ttlMs, this.now());
    if (!instance)
      throw new NotFoundError(`Instance '${instanceId}' of plugin '${pluginId}' is not registered`);
    this.unreachableUntil.delete(instanceKey(pluginId, instanceId));
    this.apply(instance);
  }

  async deregister(pluginId: string, instanceId: string): Promise<void> {
    await this.store.delete(pluginId, instanceId);
    const existing = this.view.get(instanceKey(pluginId, instanceId));
    if (existing) this.remove(existing, 'deregistered');
  }

  /**
   * Announces a key the gateway itself signs service tokens with (pluginId 'gateway') to watchers,
   * so plugins accept the gateway's gRPC calls (sign-in reads the catalog). Kept in the store like
   * an instance, with a lease this registry renews, so every replica's watchers learn every
   * replica's key. Never routed to and never listed as a plugin ('gateway' is a reserved id that
   * no plugin can register).
   */
  async announceOwnKey(instance: Instance): Promise<void> {
    const now = this.now();
    const own: Instance = { ...instance, pluginId: GATEWAY_ID, registeredAtMs: now, lastHeartbeatAtMs: now };
    this.ownLocal.set(own.instanceId, own);
    await this.store.put(own, this.options.ttlMs);
    this.applyOwn(own);
  }

  /** What a new watcher is told first: the gateway keys and the live instances. */
  watchSnapshot(pluginId?: string): Instance[] {
    return [...this.own.values(), ...this.list()].filter((i) => !pluginId || i.pluginId === pluginId);
  }

  private applyOwn(instance: Instance): void {
    const known = this.own.get(instance.instanceId);
    this.own.set(instance.instanceId, instance);
    if (!known || known.publicKeyJwk !== instance.publicKeyJwk) {
      this.emit('change', {
        type: discoveryV1.WatchEvent_Type.TYPE_ADDED,
        instance,
      } satisfies RegistryEvent);
    }
  }

  /** Renews this replica's gateway keys in the store (put again if the store lost them). */
  private async renewOwn(now: number): Promise<void> {
    for (const own of this.ownLocal.values()) {
      const touched = await this.store.touch(GATEWAY_ID, own.instanceId, this.options.ttlMs, now);
      if (!touched) await this.store.put({ ...own, lastHeartbeatAtMs: now }, this.options.ttlMs);
    }
  }

  list(pluginId?: string): Instance[] {
    return [...this.view.values()].filter((i) => !pluginId || i.pluginId === pluginId);
  }

  /** Installed plugins with their manifests, for the shell. */
  plugins(): InstalledPlugin[] {
    const counts = new Map<string, Instance[]>();
    for (const i of this.view.values()) counts.set(i.pluginId, [...(counts.get(i.pluginId) ?? []), i]);
    return [...counts.entries()]
      .map(([id, instances]) => {
        const manifest = this.manifests.get(id) ?? (JSON.parse(instances[0]!.manifestJson) as PluginManifest);
        return {
          id,
          version: manifest.version,
          title: manifest.title,
          manifest,
          instances: instances.length,
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Whether a plugin was ever registered here (a dead one is 503, an unknown one 404). */
  isKnown(pluginId: string): boolean {
    return this.knownPlugins.has(pluginId);
  }

  /** The next instance of a plugin, round robin, skipping ones that just refused a connection. */
  pick(pluginId: string): Instance | undefined {
    const now = this.now();
    const candidates = this.list(pluginId)
      .filter((i) => (this.unreachableUntil.get(instanceKey(i.pluginId, i.instanceId)) ?? 0) <= now)
      .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    if (!candidates.length) return undefined;
    const n = this.cursors.get(pluginId) ?? 0;
    this.cursors.set(pluginId, n + 1);
    return candidates[n % candidates.length];
  }

  /** The proxy could not connect: route around the instance until it heartbeats again. */
  markUnreachable(instance: Instance): void {
    this.unreachableUntil.set(
      instanceKey(instance.pluginId, instance.instanceId),
      this.now() + this.options.ttlMs,
    );
  }

  /** Reconciles the local view with the store: expired instances leave, other replicas' arrive. */
  async sync(): Promise<void> {
    if (this.ownLocal.size) await this.renewOwn(this.now());
    const live = await this.store.all(this.now());
    const seen = new Set<string>();
    const seenOwn = new Set<string>();
    for (const instance of live) {
      if (instance.pluginId === GATEWAY_ID) {
        seenOwn.add(instance.instanceId);
        this.applyOwn(instance);
        continue;
      }
      seen.add(instanceKey(instance.pluginId, instance.instanceId));
      this.apply(instance);
    }
    for (const [key, instance] of this.view) {
      if (!seen.has(key)) this.remove(instance, 'expired');
    }
    for (const [id, instance] of this.own) {
      if (seenOwn.has(id) || this.ownLocal.has(id)) continue;
      this.own.delete(id);
      this.emit('change', {
        type: discoveryV1.WatchEvent_Type.TYPE_REMOVED,
        instance,
      } satisfies RegistryEvent);
    }
  }

  private apply(instance: Instance): void {
    const key = instanceKey(instance.pluginId, instance.instanceId);
    const previous = this.view.get(key);
    this.view.set(key, instance);
    this.knownPlugins.add(instance.pluginId);
    if (instance.publicKeyJwk)
      this.keyStore.set(instance.pluginId, instance.instanceId, instance.publicKeyJwk);
    const changed =
      !previous ||
      previous.httpAddress !== instance.httpAddress ||
      previous.grpcAddress !== instance.grpcAddress ||
      previous.manifestJson !== instance.manifestJson ||
      previous.registeredAtMs !== instance.registeredAtMs;
    if (changed) {
      this.emit('change', {
        type: previous ? discoveryV1.WatchEvent_Type.TYPE_UPDATED : discoveryV1.WatchEvent_Type.TYPE_ADDED,
        instance,
      } satisfies RegistryEvent);
    }
  }

  private remove(instance: Instance, why: string): void {
    const key = instanceKey(instance.pluginId, instance.instanceId);
    this.view.delete(key);
    this.unreachableUntil.delete(key);
    this.keyStore.remove(instance.pluginId, instance.instanceId);
    this.logger.info(
      { pluginId: instance.pluginId, instanceId: instance.instanceId, why },
      'instance removed',
    );
    this.emit('change', { type: discoveryV1.WatchEvent_Type.TYPE_REMOVED, instance } satisfies RegistryEvent);
  }
}
