import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one process, served at /metrics: request rate, latency histogram and errors
 * for HTTP and gRPC, database pool usage, and Node's defaults (event-loop lag, heap, GC, handles).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpErrors: Counter<'method' | 'route' | 'status'>;
  readonly grpcRequests: Counter<'service' | 'method' | 'code'>;
  readonly grpcDuration: Histogram<'service' | 'method' | 'code'>;
  readonly dbPool: Gauge<'state'>;
  private pool?: () => { total: number; idle: number; waiting: number } | undefined;

  constructor(labels: Record<string, string>) {
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.httpRequests = new Counter({
      name: 'http_server_requests_total',
      help: 'HTTP requests handled',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpErrors = new Counter({
      name: 'http_server_errors_total',
      help: 'HTTP requests answered with a 5xx status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.grpcRequests = new Counter({
      name: 'grpc_server_handled_total',
      help: 'gRPC calls handled',
      labelNames: ['service', 'method', 'code'],
      registers: [this.registry],
    });
    this.grpcDuration = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'gRPC call latency',
      labelNames: ['service', 'method', 'code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    const readPool = () => this.pool?.();
    this.dbPool = new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting clients)',
      labelNames: ['state'],
      registers: [this.registry],
      // Read at scrape time, so the figure is never stale.
      collect() {
        const pool = readPool();
        if (!pool) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
  }

  /** Where the database pool's figures come from (the service's Database). */
  observePool(read: () => { total: number; idle: number; waiting: number } | undefined): void {
    this.pool = read;
  }

  /** Express middleware recording every request once it finished. */
  httpMiddleware(routeOf: (req: Request) => string) {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
        stop(labels);
        this.httpRequests.inc(labels);
        if (res.statusCode >= 500) this.httpErrors.inc(labels);
      });
      next();
    };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/**
 * A low-cardinality route label: the matched Express route when there is one, else the plugin
 * prefix (`/api/catalog/*`), never the raw path with ids in it.
 */
export function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  if (typeof route === 'string') return `${req.baseUrl ?? ''}${route}`;
  const m = /^\/(api|plugins)\/([^/?]+)/.exec(req.originalUrl ?? req.url);
  if (m) return `/${m[1]}/${m[2]}/*`;
  return 'unmatched';
}
