import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { describeError } from '../errors/errors.js';
import type { Metrics } from '../telemetry/metrics.js';

/** Errors already counted by the interceptor, so the exception filter does not count them twice. */
export const countedGrpcErrors = new WeakSet<object>();

/**
 * Counts and times every gRPC call by service, method and status code. Calls refused before the
 * handler (authentication) are counted by the exception filter instead.
 */
@Injectable()
export class GrpcMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: Metrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const labels = { service: context.getClass().name, method: context.getHandler().name };
    const stop = this.metrics.grpcDuration.startTimer(labels);
    const done = (code: number) => {
      const l = { ...labels, code: status[code] ?? String(code) };
      stop(l);
      this.metrics.grpcRequests.inc(l);
    };
    return next.handle().pipe(
      tap({ complete: () => done(status.OK) }),
      catchError((err: unknown) => {
        const code = (err as { code?: unknown })?.code;
        if (err && typeof err === 'object') countedGrpcErrors.add(err);
        done(typeof code === 'number' ? code : describeError(err).grpc);
        return throwError(() => err);
      }),
    );
  }
}
