import {
  Catch,
  HttpException,
  type ArgumentsHost,
  type ExceptionFilter,
  type ExecutionContext,
} from '@nestjs/common';
import { status as grpcStatus } from '@grpc/grpc-js';
import { countedGrpcErrors } from '../grpc/grpc-metrics.interceptor.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { throwError, type Observable } from 'rxjs';
import {
  describeError,
  errorForName,
  errorNameForHttpStatus,
  errorResponseBody,
  PortalError,
} from './errors.js';

/** Nest's own HTTP exceptions (unknown route, body parser limits) in our vocabulary. */
function normalise(exception: unknown): unknown {
  if (exception instanceof PortalError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const name = errorNameForHttpStatus(status);
    return name === 'Error' ? exception : errorForName(name, exception.message);
  }
  // body-parser and friends throw errors carrying an HTTP status (413 entity.too.large, 400 bad JSON).
  const status =
    (exception as { status?: unknown; statusCode?: unknown })?.status ??
    (exception as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const name = errorNameForHttpStatus(status);
    const message = status === 413 ? 'Request body is too large' : (exception as Error).message;
    return errorForName(name === 'Error' ? 'InputError' : name, message);
  }
  return exception;
}

/**
 * One filter for both transports: HTTP errors leave as Backstage's error body with the mapped
 * status, gRPC errors with the mapped status code. Unexpected errors are logged with their stack
 * and reach the caller as a plain 500 / INTERNAL, never with internals.
 */
@Catch()
export class PortalExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const err = normalise(exception);
    const described = describeError(err);
    if (described.status >= 500) {
      this.logger.error({ err: exception }, (exception as Error)?.message ?? 'request failed');
    }
    if (host.getType() === 'rpc') {
      if (this.metrics && !(exception && typeof exception === 'object' && countedGrpcErrors.has(exception))) {
        // Refused before the handler ran (e.g. by the auth guard): the interceptor never saw it.
        // (The exception filter must never throw itself: that would take the process down.)
        const context = host as ArgumentsHost & Partial<Pick<ExecutionContext, 'getClass' | 'getHandler'>>;
        this.metrics.grpcRequests.inc({
          service: context.getClass?.()?.name ?? 'unknown',
          method: context.getHandler?.()?.name ?? 'unknown',
          code: grpcStatus[described.grpc] ?? String(described.grpc),
        });
      }
      return throwError(() => ({
        code: described.grpc,
        message: described.message,
        details: described.message,
      }));
    }
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) {
      res.end();
      return;
    }
    const { status, body } = errorResponseBody(err, { method: req.method, url: req.originalUrl ?? req.url });
    res.status(status).json(body);
  }
}
