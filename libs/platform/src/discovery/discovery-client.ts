import { credentials, Metadata, status, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { discoveryV1 } from '@portal/proto';
import type { Logger } from 'pino';
import type { PublicKeyStore } from '../auth/public-key-store.js';
import type { Readiness } from '../health/readiness.js';
import { backoffDelay, sleep } from '../util/backoff.js';

export const REGISTRATION_SECRET_HEADER = 'x-portal-registration-secret';

type Instance = discoveryV1.Instance;

export interface DiscoveryClientOptions {
  /** host:port of the gateway's gRPC server. */
  gatewayAddress: string;
  secret: string;
  logger: Logger;
  readiness: Readiness;
  /** Receives every instance's service-token public key, for verifying their calls. */
  keyStore: PublicKeyStore;
  /** Static addresses that win over discovery (e.g. Kubernetes service DNS names). */
  staticEndpoints?: Record<string, { grpc?: string; http?: string }>;
  heartbeatIntervalMs?: number;
}

/**
 * Registers this instance with the gateway, heartbeats, registers again when the gateway forgot it
 * (restart, expiry), deregisters on shutdown, and keeps a live view of every plugin's instances
 * through Watch to resolve their addresses and verify their tokens.
 */
export class DiscoveryClient {
  private readonly client: discoveryV1.DiscoveryServiceClient;
  private readonly instancesByPlugin = new Map<string, Map<string, Instance>>();
  private readonly roundRobin = new Map<string, number>();
  private registration?: Instance;
  private registered = false;
  private gatewayReachable = true;
  private stopped = false;
  private heartbeatIntervalMs: number;
  private watchStream?: ClientReadableStream<discoveryV1.WatchEvent>;
  private loop?: Promise<void>;

  constructor(private readonly options: DiscoveryClientOptions) {
    this.client = new discoveryV1.DiscoveryServiceClient(
      options.gatewayAddress,
      credentials.createInsecure(),
    );
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 2000;
  }

  private metadata(): Metadata {
    const md = new Metadata();
    md.set(REGISTRATION_SECRET_HEADER, this.options.secret);
    return md;
  }

  private deadline(ms = 3000): Date {
    return new Date(Date.now() + ms);
  }

  private unary<Req, Res>(
    method: (
      req: Req,
      md: Metadata,
      opts: { deadline: Date },
      cb: (err: ServiceError | null, res: Res) => void,
    ) => unknown,
    request: Req,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.client, request, this.metadata(), { deadline: this.deadline() }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  /** Starts watching the registry (for resolving other plugins) without registering. */
  watch(): void {
    if (this.watchStream || this.stopped) return;
    this.openWatch(0);
  }

  /** Registers `instance` and keeps it registered until stop(). */
  start(instance: Omit<Instance, 'registeredAtMs' | 'lastHeartbeatAtMs'>): void {
    this.registration = { ...instance, registeredAtMs: 0, lastHeartbeatAtMs: 0 };
    this.options.readiness.require('registered', 'Not registered with the gateway');
    this.watch();
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.registered) await this.register();
        else
          await this.unary(this.client.heartbeat, {
            pluginId: this.registration!.pluginId,
            instanceId: this.registration!.instanceId,
          });
        if (!this.gatewayReachable) this.options.logger.info('gateway reachable again');
        this.gatewayReachable = true;
        failures = 0;
        await sleep(this.heartbeatIntervalMs);
      } catch (err) {
        const code = (err as ServiceError).code;
        if (code === status.NOT_FOUND) {
          // The gateway does not know us (it restarted or expired us): register at once.
          this.options.logger.warn('gateway forgot this instance, registering again');
          this.registered = false;
          this.options.readiness.set('registered', false);
          continue;
        }
        if (this.gatewayReachable) {
          this.options.logger.warn({ err: (err as Error).message }, 'gateway unreachable, retrying');
        }
        this.gatewayReachable = false;
        await sleep(backoffDelay(failures++, 250, Math.max(this.heartbeatIntervalMs, 2000)));
      }
    }
  }

  private async register(): Promise<void> {
    const response = await this.unary(this.client.register, { instance: this.registration! });
    this.heartbeatIntervalMs = response.heartbeatIntervalMs || this.heartbeatIntervalMs;
    this.registered = true;
    this.options.readiness.set('registered', true);
    this.options.logger.info(
      {
        instanceId: this.registration!.instanceId,
        http: this.registration!.httpAddress,
        grpc: this.registration!.grpcAddress,
      },
      'registered with the gateway',
    );
  }

  private openWatch(attempt: number): void {
    if (this.stopped) return;
    const stream = this.client.watch({ pluginId: '' }, this.metadata());
    this.watchStream = stream;
    let received = false;
    const known = new Set<string>();
    stream.on('data', (event: discoveryV1.WatchEvent) => {
      if (!received) {
        // A fresh stream replays the registry: forget what the old one said.
        received = true;
        this.instancesByPlugin.clear();
      }
      const inst = event.instance;
      if (!inst) return;
      known.add(inst.instanceId);
      this.apply(event.type, inst);
    });
    const retry = () => {
      if (this.watchStream !== stream || this.stopped) return;
      this.watchStream = undefined;
      setTimeout(() => this.openWatch(received ? 0 : attempt + 1), backoffDelay(attempt, 250, 5000)).unref();
    };
    stream.on('error', retry);
    stream.on('end', retry);
  }

  private apply(type: discoveryV1.WatchEvent_Type, inst: Instance): void {
    const byId = this.instancesByPlugin.get(inst.pluginId) ?? new Map<string, Instance>();
    if (type === discoveryV1.WatchEvent_Type.TYPE_REMOVED) {
      byId.delete(inst.instanceId);
      this.options.keyStore.remove(inst.pluginId, inst.instanceId);
    } else {
      byId.set(inst.instanceId, inst);
      if (inst.publicKeyJwk) this.options.keyStore.set(inst.pluginId, inst.instanceId, inst.publicKeyJwk);
    }
    this.instancesByPlugin.set(inst.pluginId, byId);
  }

  /** Live instances of a plugin as last seen through Watch. */
  instances(pluginId: string): Instance[] {
    return [...(this.instancesByPlugin.get(pluginId)?.values() ?? [])];
  }

  /** Fetches the registry once (for callers that cannot wait for Watch). */
  async refresh(pluginId = ''): Promise<Instance[]> {
    const res = await this.unary(this.client.list, { pluginId });
    for (const inst of res.instances) this.apply(discoveryV1.WatchEvent_Type.TYPE_UPDATED, inst);
    return res.instances;
  }

  private pick(pluginId: string): Instance | undefined {
    const list = this.instances(pluginId).sort((a, b) => a.instanceId.localeCompare(b.instanceId));
    if (!list.length) return undefined;
    const next = (this.roundRobin.get(pluginId) ?? 0) % list.length;
    this.roundRobin.set(pluginId, next + 1);
    return list[next];
  }

  /** A gRPC address of the plugin: a static override, else an instance round robin. */
  resolveGrpc(pluginId: string): string | undefined {
    return this.options.staticEndpoints?.[pluginId]?.grpc ?? this.pick(pluginId)?.grpcAddress;
  }

  resolveHttp(pluginId: string): string | undefined {
    return this.options.staticEndpoints?.[pluginId]?.http ?? this.pick(pluginId)?.httpAddress;
  }

  /** Deregisters (best effort, bounded) and stops every loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watchStream?.cancel();
    if (this.registration && this.registered) {
      try {
        await this.unary(this.client.deregister, {
          pluginId: this.registration.pluginId,
          instanceId: this.registration.instanceId,
        });
        this.options.logger.info('deregistered from the gateway');
      } catch (err) {
        this.options.logger.warn({ err: (err as Error).message }, 'could not deregister');
      }
    }
    this.registered = false;
    void this.loop?.catch(() => undefined);
    this.client.close();
  }
}
