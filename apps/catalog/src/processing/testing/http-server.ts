// A local HTTP server serving files from a map, for url location tests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UrlReader } from '@portal/platform';

export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** path → body; a missing path is a 404; change it to change what is served. */
  files: Map<string, string>;
  /** Paths requested, in order. */
  requests: string[];
  /** A UrlReader allowed to read this server (and nothing else). */
  reader: UrlReader;
  close(): Promise<void>;
}

export async function startFileServer(files: Record<string, string> = {}): Promise<FileServer> {
  const map = new Map(Object.entries(files));
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body = map.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    files: map,
    requests,
    reader: new UrlReader({ allow: [{ host: `127.0.0.1:${port}` }], allowPrivateNetworks: ['127.0.0.0/8'] }),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
