import type { NextFunction, Request, Response } from 'express';
import type { PlatformContext } from '../bootstrap/platform-context.js';
import { errorResponseBody, ServiceUnavailableError } from '../errors/errors.js';
import { isProbe } from '../logging/request-middleware.js';

/** While the service is not ready its own API answers 503 at once (health and metrics still answer). */
export function readinessGate(context: PlatformContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (context.readiness.isReady() || isProbe(req) || !req.path.startsWith(`/api/${context.pluginId}`)) {
      next();
      return;
    }
    const reasons = context.readiness.reasons().join('; ');
    const { status, body } = errorResponseBody(
      new ServiceUnavailableError(`Plugin '${context.pluginId}' is not ready: ${reasons}`),
      { method: req.method, url: req.originalUrl },
    );
    res.status(status).json(body);
  };
}
