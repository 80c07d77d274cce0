import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort } from '../../testing/fixtures.js';
import { CatalogKindsClient, CatalogUnreachableError, kindsUrlOf } from './catalog-kinds-client.js';

describe('kindsUrlOf', () => {
  it.each([
    ['http://localhost:7007', 'http://localhost:7007/api/catalog/kinds'],
    ['https://portal.example.com/', 'https://portal.example.com/api/catalog/kinds'],
    ['https://example.com/portal//', 'https://example.com/portal/api/catalog/kinds'],
    ['http://localhost:7007/api/catalog', 'http://localhost:7007/api/catalog/kinds'],
  ])('%s → %s', (base, url) => {
    expect(kindsUrlOf(base)).toBe(url);
  });

  it.each([['localhost:7007'], ['ftp://example.com'], ['portal'], ['http://x/?a=1']])(
    'refuses %s',
    (base) => {
      expect(() => kindsUrlOf(base)).toThrow(TypeError);
    },
  );
});

describe('CatalogKindsClient', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const answer = (status: number, body: string, type = 'application/json') => {
    handler = (_req, res) => res.writeHead(status, { 'content-type': type }).end(body);
  };
  const failure = async (client: CatalogKindsClient) => {
    try {
      await client.customKinds();
    } catch (error) {
      if (error instanceof CatalogUnreachableError) return error;
      throw error;
    }
    throw new Error('expected a CatalogUnreachableError');
  };

  it('reads the custom kinds with the token, leaving out the built-in ones', async () => {
    let seen: IncomingMessage | undefined;
    const widget = {
      apiVersion: ['acme.io/v1'],
      kind: 'Widget',
      specSchema: { type: 'object' },
      relations: [],
    };
    handler = (req, res) => {
      seen = req;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          items: [
            { origin: 'builtin', definition: { kind: 'Component' } },
            { origin: 'api', definition: widget },
          ],
        }),
      );
    };
    const source = await new CatalogKindsClient({ baseUrl: base, token: 'secret' }).customKinds();
    expect(seen?.url).toBe('/api/catalog/kinds');
    expect(seen?.headers.authorization).toBe('Bearer secret');
    expect(source).toEqual({
      label: `the catalog at ${base}/api/catalog/kinds`,
      entries: [{ where: `the catalog at ${base}/api/catalog/kinds items[1] (Widget)`, definition: widget }],
    });
  });

  it('says that the connection was refused, naming the URL', async () => {
    const port = await closedPort();
    const error = await failure(new CatalogKindsClient({ baseUrl: `http://127.0.0.1:${port}` }));
    expect(error.message).toBe(
      `cannot read the kinds of the catalog at http://127.0.0.1:${port}/api/catalog/kinds: connection refused (ECONNREFUSED)`,
    );
  });

  it('says why a port is not even tried', async () => {
    const error = await failure(new CatalogKindsClient({ baseUrl: 'http://127.0.0.1:25' }));
    expect(error.reason).toBe('fetch does not connect to this port (bad port)');
  });

  it('gives up after the timeout', async () => {
    handler = () => undefined; // never answers
    const error = await failure(new CatalogKindsClient({ baseUrl: base, timeoutMs: 200 }));
    expect(error.reason).toBe('no answer within 0.2 s');
  });

  it("quotes Backstage's error body of a refusal and hints at the token for a 401", async () => {
    answer(401, JSON.stringify({ error: { name: 'AuthenticationError', message: 'Missing credentials' } }));
    expect((await failure(new CatalogKindsClient({ baseUrl: base }))).reason).toBe(
      'it answered 401 Unauthorized: Missing credentials; pass a token with --token or PORTAL_TOKEN',
    );
    answer(404, 'Not here', 'text/plain');
    expect((await failure(new CatalogKindsClient({ baseUrl: base }))).reason).toBe(
      'it answered 404 Not Found; is this the base URL of the portal (its gateway)?',
    );
  });

  it('refuses an answer that is not a kinds list', async () => {
    answer(200, '<html></html>', 'text/html');
    expect((await failure(new CatalogKindsClient({ baseUrl: base }))).reason).toBe(
      'the answer is not JSON; is this the portal?',
    );
    answer(200, JSON.stringify([{ kind: 'Widget' }]));
    expect((await failure(new CatalogKindsClient({ baseUrl: base }))).reason).toBe(
      'the answer is not a list of kinds ({ items })',
    );
  });

  it('does not follow redirects', async () => {
    handler = (_req, res) => res.writeHead(302, { location: 'http://example.com/' }).end();
    expect((await failure(new CatalogKindsClient({ baseUrl: base }))).reason).toMatch(/redirect/);
  });
});
