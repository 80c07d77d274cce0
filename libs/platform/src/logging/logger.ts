import { trace } from '@opentelemetry/api';
import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { requestContext } from './request-context.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Where the JSON lines go; standard output by default. */
  destination?: NodeJS.WritableStream;
}

/**
 * JSON lines with the service name, and on every line written inside a request or a span its
 * request id and trace/span ids.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const fields: Record<string, string> = {};
        const request = requestContext.getStore();
        if (request) fields.requestId = request.requestId;
        const span = trace.getActiveSpan()?.spanContext();
        if (span && span.traceId !== '00000000000000000000000000000000') {
          fields.traceId = span.traceId;
          fields.spanId = span.spanId;
        } else if (request?.traceId) {
          fields.traceId = request.traceId;
        }
        return fields;
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.secret'],
        censor: '[redacted]',
      },
    },
    options.destination ?? process.stdout,
  );
}

/** NestJS's own messages (module init, route mapping) through the same JSON logger. */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
