import { once } from 'node:events';
import type { Server } from 'node:http';
import express from 'express';
import { AuthenticationError, createLogger } from '@portal/platform';
import type { DiscoveryRegistry } from '../discovery/discovery-registry.js';
import type { Instance } from '../discovery/registry-store.js';
import { createPluginProxy } from './plugin-proxy.js';

async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('createPluginProxy: UI assets', () => {
  let upstream: { server: Server; url: string };
  let gateway: { server: Server; url: string };
  const checked: Array<string | undefined> = [];

  beforeAll(async () => {
    const plugin = express();
    plugin.use((req, res) => res.json({ path: req.path, authorization: req.headers.authorization ?? null }));
    upstream = await listen(plugin);
    const instance = { pluginId: 'catalog', instanceId: 'catalog-1', httpAddress: upstream.url } as Instance;
    const registry = {
      pick: (id: string) => (id === 'catalog' ? instance : undefined),
      isKnown: (id: string) => id === 'catalog',
      markUnreachable: () => undefined,
    } as unknown as DiscoveryRegistry;
    const app = express();
    app.use(
      createPluginProxy({
        registry,
        logger: createLogger({ service: 'test', level: 'silent' }),
        checkCredentials: async (header) => {
          checked.push(header);
          if (header !== undefined) throw new AuthenticationError('Invalid token');
          return undefined;
        },
        timeoutMs: 5000,
        maxBodyBytes: 1024,
      }),
    );
    gateway = await listen(app);
  });

  afterAll(() => {
    gateway.server.close();
    upstream.server.close();
  });

  it('passes asset GETs without checking or forwarding credentials, path unchanged', async () => {
    checked.length = 0;
    const res = await fetch(`${gateway.url}/plugins/catalog/assets/x-12345678.js`, {
      headers: { authorization: 'Bearer expired.or.forged' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ path: '/plugins/catalog/assets/x-12345678.js', authorization: null });
    expect(checked).toEqual([]);
  });

  it('keeps the edge check for the API and for other methods on plugin paths', async () => {
    const headers = { authorization: 'Bearer forged' };
    const api = await fetch(`${gateway.url}/api/catalog/entities`, { headers });
    expect(api.status).toBe(401);
    const post = await fetch(`${gateway.url}/plugins/catalog/remoteEntry.js`, { method: 'POST', headers });
    expect(post.status).toBe(401);
    expect(checked).toContain('Bearer forged');
  });

  it('answers 404 for assets of a plugin that is not installed', async () => {
    expect((await fetch(`${gateway.url}/plugins/search/remoteEntry.js`)).status).toBe(404);
  });
});
