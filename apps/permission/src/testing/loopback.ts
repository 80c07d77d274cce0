import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PluginHttp } from '../registry/plugin-http.js';

/** A parsed JSON request body, as loosely typed as tests want it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

export interface Loopback {
  server: Server;
  url: string;
  requests: Array<{ method?: string; url?: string; authorization?: string; body: JsonBody }>;
  close(): Promise<void>;
}

/** A small HTTP server on 127.0.0.1 standing in for a plugin; `handle` answers each request. */
export async function startLoopback(
  handle: (req: IncomingMessage, body: JsonBody, res: ServerResponse) => void,
): Promise<Loopback> {
  const requests: Loopback['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization, body });
      handle(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** PluginHttp that sends every plugin to `url` with a recognisable fake token. */
export function fakePluginHttp(url: string | undefined, plugins: string[] = []): PluginHttp {
  return {
    baseUrl: async () => url,
    token: async (pluginId, obo) => `service-token-for-${pluginId}${obo ? `-obo-${obo}` : ''}`,
    plugins: async () => plugins,
  };
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
