import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { requestContext } from './request-context.js';

const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the caller's `x-request-id` when it is sane, so the gateway's id
 * follows the request into the plugin), runs the request inside that context, echoes the id, and
 * logs one line when the request finished.
 */
export function requestMiddleware(logger: Logger, quiet: (req: Request) => boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    requestContext.run({ requestId, traceId }, () => {
      res.once('finish', () => {
        if (quiet(req)) return;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = {
          method: req.method,
          url: req.originalUrl,
          status: res.statusCode,
          durationMs: Math.round(ms * 10) / 10,
        };
        if (res.statusCode >= 500) logger.error(line, 'request failed');
        else logger.info(line, 'request');
      });
      next();
    });
  };
}

/** Health probes and metric scrapes are not worth a log line each. */
export function isProbe(req: Request): boolean {
  return /^(\/api\/[^/]+)?\/(\.backstage\/health\/|healthcheck|metrics)/.test(req.path);
}
