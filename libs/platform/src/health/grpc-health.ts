import type { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Readiness } from './readiness.js';

/**
 * grpc.health.v1.Health on the service's gRPC port, following the readiness checks: SERVING for the
 * whole server ('') and each of its services when ready, NOT_SERVING otherwise.
 */
export class GrpcHealth {
  private readonly impl: HealthImplementation;

  constructor(
    private readonly serviceNames: string[],
    readiness: Readiness,
  ) {
    const status = readiness.isReady() ? 'SERVING' : 'NOT_SERVING';
    this.impl = new HealthImplementation(
      Object.fromEntries(['', ...serviceNames].map((name) => [name, status])),
    );
    readiness.on('change', (ready: boolean) => this.setAll(ready ? 'SERVING' : 'NOT_SERVING'));
  }

  private setAll(status: 'SERVING' | 'NOT_SERVING') {
    for (const name of ['', ...this.serviceNames]) this.impl.setStatus(name, status);
  }

  addToServer(server: Server): void {
    this.impl.addToServer(server);
  }
}
