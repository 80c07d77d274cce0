import { once } from 'node:events';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { shellStatic } from './shell-static.js';

describe('shellStatic', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-shell-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Portal</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const app = express();
    app.use(shellStatic(dir)!);
    app.use((_req, res) => res.status(404).json({ fallthrough: true }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(() => server.close());

  it('serves files, falls back to index.html for app routes, and leaves API paths alone', async () => {
    expect(await (await fetch(`${base}/assets/app.js`)).text()).toBe('console.log(1)');
    const page = await fetch(`${base}/catalog/default/component/x`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>Portal</title>');
    for (const path of [
      '/api/catalog/entities',
      '/plugins/catalog/remoteEntry.js',
      '/.backstage/health/v1/readiness',
    ]) {
      expect(await (await fetch(`${base}${path}`)).json()).toEqual({ fallthrough: true });
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });

  it('is absent when the shell is not built', () => {
    expect(shellStatic(mkdtempSync(join(tmpdir(), 'portal-empty-')))).toBeUndefined();
  });
});
