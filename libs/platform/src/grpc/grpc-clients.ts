import {
  credentials,
  Metadata,
  status,
  type CallOptions,
  type Client,
  type ChannelCredentials,
  type ChannelOptions,
  type ServiceError,
} from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { ServiceTokenIssuer } from '../auth/service-token-issuer.js';
import { errorForName, errorNameForGrpcCode, ServiceUnavailableError } from '../errors/errors.js';
import { currentRequestId } from '../logging/request-context.js';
import { backoffDelay, sleep } from '../util/backoff.js';

type ClientConstructor<C extends Client> = new (
  address: string,
  credentials: ChannelCredentials,
  options?: Partial<ChannelOptions>,
) => C;

export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (err: ServiceError | null, response: Res) => void,
) => unknown;

export interface CallSettings {
  /** Per-attempt deadline; 5 s by default. */
  deadlineMs?: number;
  /** Attempts in all when the target is UNAVAILABLE (a fresh instance is picked each time). */
  attempts?: number;
  /** The user token to send as `obo` inside the service token, when calling on a user's behalf. */
  onBehalfOf?: string;
}

export interface AddressResolver {
  resolveGrpc(pluginId: string): string | undefined;
  refresh?(pluginId: string): Promise<unknown>;
}

/**
 * Clients for other plugins' gRPC APIs: the address comes from discovery (round robin, static
 * overrides win); every call carries a service token for the target (aud = its plugin id), the
 * request id and — through the gRPC instrumentation — the W3C traceparent; calls have a deadline,
 * and UNAVAILABLE is retried with backoff on another instance.
 */
export class GrpcClients {
  private readonly channels = new Map<string, Client>();

  constructor(
    private readonly resolver: AddressResolver,
    private readonly issuer: ServiceTokenIssuer,
    private readonly logger: Logger,
  ) {}

  private client<C extends Client>(ctor: ClientConstructor<C>, address: string): C {
    const key = `${ctor.name}@${address}`;
    let client = this.channels.get(key) as C | undefined;
    if (!client) {
      client = new ctor(address, credentials.createInsecure(), {
        'grpc.keepalive_time_ms': 30_000,
        'grpc.max_receive_message_length': 64 * 1024 * 1024,
      });
      this.channels.set(key, client);
    }
    return client;
  }

  private async address(pluginId: string): Promise<string> {
    let address = this.resolver.resolveGrpc(pluginId);
    if (!address && this.resolver.refresh) {
      await this.resolver.refresh(pluginId).catch(() => undefined);
      address = this.resolver.resolveGrpc(pluginId);
    }
    if (!address) throw new ServiceUnavailableError(`No instance of plugin '${pluginId}' is available`);
    return address;
  }

  async unary<C extends Client, Req, Res>(
    pluginId: string,
    ctor: ClientConstructor<C>,
    method: (client: C) => UnaryMethod<Req, Res>,
    request: Req,
    settings: CallSettings = {},
  ): Promise<Res> {
    const attempts = settings.attempts ?? 4;
    for (let attempt = 0; ; attempt++) {
      const address = await this.address(pluginId);
      const client = this.client(ctor, address);
      const metadata = new Metadata();
      metadata.set(
        'authorization',
        `Bearer ${await this.issuer.issue(pluginId, { onBehalfOf: settings.onBehalfOf })}`,
      );
      const requestId = currentRequestId();
      if (requestId) metadata.set('x-request-id', requestId);
      try {
        return await new Promise<Res>((resolve, reject) => {
          method(client).call(
            client,
            request,
            metadata,
            { deadline: new Date(Date.now() + (settings.deadlineMs ?? 5000)) },
            (err, res) => (err ? reject(err) : resolve(res)),
          );
        });
      } catch (err) {
        const e = err as ServiceError;
        if (e.code === status.UNAVAILABLE && attempt + 1 < attempts) {
          const delay = backoffDelay(attempt, 100, 2000);
          this.logger.debug({ pluginId, address, attempt, delay }, 'gRPC target unavailable, retrying');
          await sleep(delay);
          continue;
        }
        if (typeof e.code === 'number') {
          throw errorForName(errorNameForGrpcCode(e.code), e.details || e.message);
        }
        throw err;
      }
    }
  }

  close(): void {
    for (const client of this.channels.values()) client.close();
    this.channels.clear();
  }
}
