import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { uiAssets } from './ui-assets.js';

describe('uiAssets', () => {
  let server: Server;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portal-ui-'));
    writeFileSync(join(dir, 'remoteEntry.js'), 'export const get = 1;');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'CatalogPage-Bx8s_k2Q.js'), 'export default 1;');
    writeFileSync(join(dir, 'assets', 'style-D3adB33f.css'), 'body{}');
    writeFileSync(join(dir, '.secret'), 'no');
    const ui = uiAssets('catalog', {
      dir,
      pages: [{ path: '/catalog', module: './CatalogPage', title: 'Catalog', nav: true }],
    })!;
    const app = express();
    app.use(ui.middleware);
    app.use((_req, res) => res.status(418).json({ fallthrough: true }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(() => server.close());

  it('serves the entry with no-cache and a JavaScript content type', async () => {
    const res = await fetch(`${base}/plugins/catalog/remoteEntry.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.text()).toBe('export const get = 1;');
  });

  it('caches hashed assets for a year', async () => {
    const js = await fetch(`${base}/plugins/catalog/assets/CatalogPage-Bx8s_k2Q.js`);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await fetch(`${base}/plugins/catalog/assets/style-D3adB33f.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(css.headers.get('cache-control')).toContain('immutable');
  });

  it('answers 404 with a Backstage error body for missing files, dot files and traversal', async () => {
    for (const path of ['assets/nope.js', '.secret', '..%2fpackage.json', '']) {
      const res = await fetch(`${base}/plugins/catalog/${path}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { name: string } }).error.name).toBe('NotFoundError');
    }
  });

  it('leaves other paths and methods to the next handler', async () => {
    for (const [method, path] of [
      ['GET', '/plugins/catalogue/remoteEntry.js'],
      ['GET', '/api/catalog/entities'],
      ['POST', '/plugins/catalog/remoteEntry.js'],
    ] as const) {
      expect((await fetch(`${base}${path}`, { method })).status).toBe(418);
    }
  });

  it('describes the UI for the manifest, and is absent when the remote is not built', () => {
    expect(
      uiAssets('catalog', { dir, pages: [{ module: './P', title: 'P' }], entityTabs: [] })!.manifest,
    ).toEqual({ entry: 'remoteEntry.js', pages: [{ module: './P', title: 'P' }] });
    expect(uiAssets('catalog', { dir: join(dir, 'missing') })).toBeUndefined();
  });
});
