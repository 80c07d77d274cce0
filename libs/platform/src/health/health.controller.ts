import { Controller, Get, Inject, Res, type Type } from '@nestjs/common';
import type { Response } from 'express';
import { Unauthenticated } from '../auth/auth.guard.js';
import { Metrics } from '../telemetry/metrics.js';
import { Liveness } from './liveness.js';
import { Readiness } from './readiness.js';

/**
 * Backstage's health routes at the root and under the plugin's own prefix (so they are reachable
 * through the gateway as /api/<pluginId>/.backstage/health/v1/readiness), plus /metrics.
 */
export function createHealthController(pluginId: string): Type<unknown> {
  const prefixes = pluginId === 'gateway' ? [''] : ['', `/api/${pluginId}`];
  const paths = (suffix: string) => prefixes.map((p) => `${p}${suffix}`);

  @Controller()
  @Unauthenticated()
  class HealthController {
    constructor(
      @Inject(Readiness) private readonly readiness: Readiness,
      @Inject(Liveness) private readonly liveness: Liveness,
      @Inject(Metrics) private readonly metrics: Metrics,
    ) {}

    @Get(paths('/.backstage/health/v1/liveness'))
    live(@Res() res: Response) {
      const stalled = this.liveness.stalled();
      if (stalled.length) {
        res.status(503).json({ status: 'error', message: `Stalled: ${stalled.join(', ')}` });
        return;
      }
      res.json({ status: 'ok' });
    }

    @Get(paths('/.backstage/health/v1/readiness'))
    ready(@Res() res: Response) {
      if (this.readiness.isReady()) {
        res.json({ status: 'ok' });
        return;
      }
      res.status(503).json({
        status: 'error',
        message: 'Backend has not started yet',
        reasons: this.readiness.reasons(),
      });
    }

    @Get(paths('/healthcheck'))
    legacy(@Res() res: Response) {
      this.ready(res);
    }

    @Get('/metrics')
    async scrape(@Res() res: Response) {
      const { contentType, body } = await this.metrics.render();
      res.type(contentType).send(body);
    }
  }
  return HealthController;
}
