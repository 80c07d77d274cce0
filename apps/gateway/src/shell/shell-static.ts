import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * Serves the shell's built files when they exist (apps/shell/dist, or `gateway.shellDir`), with the
 * single-page-app fallback to index.html for every GET that is not an API, plugin or health path.
 */
export function shellStatic(dir: string) {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = express.static(dir, { index: false, maxAge: '1h', immutable: false });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (/^\/(api|plugins|\.backstage|metrics|healthcheck)(\/|$)/.test(req.path)) return next();
    files(req, res, () => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(dir, 'index.html'));
    });
  };
}
