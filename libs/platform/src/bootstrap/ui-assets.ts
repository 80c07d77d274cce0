import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { PluginManifest, UiModuleRef } from '../discovery/manifest.js';
import { errorResponseBody, NotFoundError } from '../errors/errors.js';

/** A plugin's remote UI module: where its build lives and what it contributes to the shell. */
export interface UiDefinition {
  /** The built remote (a Vite Module Federation remote's `dist`), absolute. */
  dir: string;
  /** The remote's entry file inside `dir`; `remoteEntry.js` by default. */
  entry?: string;
  pages?: UiModuleRef[];
  entityTabs?: UiModuleRef[];
  entityCards?: UiModuleRef[];
}

export interface UiAssets {
  /** Serves `GET|HEAD /plugins/<pluginId>/…` from the built remote. */
  middleware: (req: Request, res: Response, next: NextFunction) => void;
  /** The manifest's `ui` section. */
  manifest: NonNullable<PluginManifest['ui']>;
}

// Vite names built chunks `<name>-<hash>.<ext>`; such a file never changes under its name.
const HASHED_FILE = /[.-][A-Za-z0-9_-]{8,}\.(?:js|mjs|css|woff2?|png|svg|jpg|webp)$/;

/**
 * The remote UI module of a plugin, served by the plugin's own process under `/plugins/<id>/` (the
 * path the gateway proxies unchanged). Hashed assets are cached for a year; the entry and anything
 * else must be revalidated, so a new plugin version's UI is picked up at once. Undefined when the
 * remote is not built: the plugin then runs without UI and its manifest says so.
 */
export function uiAssets(pluginId: string, ui: UiDefinition): UiAssets | undefined {
  const entry = ui.entry ?? 'remoteEntry.js';
  if (!existsSync(join(ui.dir, entry))) return undefined;
  const prefix = `/plugins/${pluginId}`;
  const files = express.static(ui.dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader('x-content-type-options', 'nosniff');
      const immutable = HASHED_FILE.test(path) && !path.endsWith(entry);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const middleware = (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== prefix && !req.path.startsWith(`${prefix}/`)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const url = req.url;
    req.url = url.slice(prefix.length) || '/';
    files(req, res, () => {
      req.url = url;
      const { status, body } = errorResponseBody(new NotFoundError(`No UI asset at ${req.path}`), {
        method: req.method,
        url: req.originalUrl,
      });
      res.status(status).json(body);
    });
  };
  const refs = (list: UiModuleRef[] | undefined) => (list && list.length ? list : undefined);
  return {
    middleware,
    manifest: {
      entry,
      ...(refs(ui.pages) ? { pages: ui.pages } : {}),
      ...(refs(ui.entityTabs) ? { entityTabs: ui.entityTabs } : {}),
      ...(refs(ui.entityCards) ? { entityCards: ui.entityCards } : {}),
    },
  };
}
