/**
 * OpenTelemetry, started before anything else is loaded:
 *   node --import @portal/platform/tracing apps/<id>/dist/main.js
 * HTTP, gRPC, pg and ioredis are instrumented, W3C traceparent is propagated, and spans are exported
 * over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it spans are still created (so
 * logs carry trace ids and traceparent travels between services) but not exported.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';

function serviceNameFromArgv(): string {
  const script = process.argv[1] ?? '';
  const match = /apps[\\/]([a-z0-9-]+)[\\/]/.exec(script);
  return match ? `portal-${match[1]}` : 'portal';
}

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
const serviceName = process.env.OTEL_SERVICE_NAME ?? serviceNameFromArgv();
// Traces only: metrics are Prometheus (/metrics) and logs are JSON lines on stdout. Without these,
// the SDK would set up OTLP log and metric exporters that retry against a collector nobody runs.
process.env.OTEL_METRICS_EXPORTER ??= 'none';
process.env.OTEL_LOGS_EXPORTER ??= 'none';
if (!endpoint) process.env.OTEL_TRACES_EXPORTER ??= 'none';

export const telemetrySdk = new NodeSDK({
  resource: resourceFromAttributes({ 'service.name': serviceName }),
  spanProcessors: endpoint ? [new BatchSpanProcessor(new OTLPTraceExporter())] : [],
  instrumentations: [
    new HttpInstrumentation({
      // Health probes and scrapes would drown real traffic.
      ignoreIncomingRequestHook: (req) =>
        /^\/(\.backstage\/health|healthcheck|metrics)/.test(req.url ?? '') ||
        /^\/api\/[^/]+\/\.backstage\/health/.test(req.url ?? ''),
    }),
    new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch', 'Heartbeat'] }),
    new PgInstrumentation(),
    new IORedisInstrumentation(),
  ],
});

telemetrySdk.start();
(globalThis as { __portalTelemetry?: NodeSDK }).__portalTelemetry = telemetrySdk;

// The service's own shutdown flushes spans; this is the safety net for a plain exit.
process.once('beforeExit', () => {
  void telemetrySdk.shutdown().catch(() => undefined);
});
