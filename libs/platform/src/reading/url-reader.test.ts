import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import { AddressPolicy } from './address-policy.js';
import { isAllowedByRules, parseReadingRules } from './reading-rules.js';
import { UrlReader } from './url-reader.js';

/** A resolver with fixed answers, like a hostile DNS server would give. */
function fakeDns(table: Record<string, string[]>) {
  return ((
    hostname: string,
    _options: unknown,
    callback: (err: Error | null, addresses: LookupAddress[]) => void,
  ) => {
    const addresses = table[hostname];
    if (!addresses) callback(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    else
      callback(
        null,
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
  }) as never;
}

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();
  it.each([
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:a9fe:a9fe', false],
    ['93.184.215.14', true],
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', true],
    ['not-an-ip', false],
  ])('%s → %s', (address, permitted) => {
    expect(policy.permits(address)).toBe(permitted);
  });

  it('lets explicitly allowed ranges through', () => {
    const p = new AddressPolicy(['127.0.0.0/8', '10.20.0.0/16']);
    expect(p.permits('127.0.0.1')).toBe(true);
    expect(p.permits('10.20.3.4')).toBe(true);
    expect(p.permits('10.21.3.4')).toBe(false);
    expect(() => new AddressPolicy(['nope/8'])).toThrow(/Invalid CIDR/);
  });
});

describe('reading rules', () => {
  const rules = parseReadingRules([
    { host: 'example.com' },
    { host: '*.example.org', paths: ['/docs'] },
    { host: 'git.local:8443' },
  ]);
  it.each([
    ['https://example.com/a.yaml', true],
    ['http://example.com/a.yaml', true],
    ['https://sub.example.com/a.yaml', false],
    ['https://a.example.org/docs/x.yaml', true],
    ['https://a.example.org/docs', true],
    ['https://a.example.org/docsx/x.yaml', false],
    ['https://a.example.org/docs/../secret', false],
    ['https://a.example.org/docs/%2e%2e/secret', false],
    ['https://example.org/docs/x', false],
    ['https://evilexample.org/docs/x', false],
    ['https://git.local:8443/x', true],
    ['https://git.local/x', false],
    ['ftp://example.com/a', false],
    ['file:///etc/passwd', false],
    ['https://user:pw@example.com/a', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedByRules(new URL(url), rules)).toBe(allowed);
  });

  it('refuses malformed rules naming the entry', () => {
    expect(() => parseReadingRules([{ host: 'http://x' }])).toThrow('backend.reading.allow[0].host');
    expect(() => parseReadingRules([{ host: 'x.com', paths: ['docs'] }])).toThrow(
      'backend.reading.allow[0].paths',
    );
  });
});

describe('UrlReader against a local server', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/catalog-info.yaml') {
        res.writeHead(200, { 'content-type': 'text/yaml', etag: '"v1"' }).end('kind: Component\n');
      } else if (req.url === '/redirect-ok') {
        res.writeHead(302, { location: '/catalog-info.yaml' }).end();
      } else if (req.url === '/redirect-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (req.url === '/redirect-elsewhere') {
        res.writeHead(301, { location: 'https://not-allowed.example.net/x' }).end();
      } else if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (req.url === '/big') {
        res.writeHead(200);
        res.end(Buffer.alloc(4096, 'x'));
      } else if (req.url === '/hang') {
        // never answers
      } else {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const trusting = () =>
    new UrlReader({
      allow: [{ host: 'portal-test.internal' }, { host: '127.0.0.1' }],
      allowPrivateNetworks: ['127.0.0.0/8'],
      lookup: fakeDns({ 'portal-test.internal': ['127.0.0.1'] }),
      maxBytes: 1024,
      timeoutMs: 500,
    });

  it('reads an allowed URL, following an allowed redirect', async () => {
    const result = await trusting().read(`http://portal-test.internal:${port}/redirect-ok`);
    expect(result.body.toString()).toBe('kind: Component\n');
    expect(result.url).toBe(`http://portal-test.internal:${port}/catalog-info.yaml`);
    expect(result.etag).toBe('"v1"');
  });

  it('checks every redirect hop again', async () => {
    await expect(trusting().read(`http://127.0.0.1:${port}/redirect-metadata`)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(trusting().read(`http://127.0.0.1:${port}/redirect-elsewhere`)).rejects.toThrow(
      /not-allowed\.example\.net/,
    );
    await expect(trusting().read(`http://127.0.0.1:${port}/loop`)).rejects.toThrow(/Too many redirects/);
  });

  it('refuses loopback unless allowed, also behind a name that resolves to it (DNS rebinding)', async () => {
    const strict = new UrlReader({
      allow: [{ host: 'portal-test.internal' }, { host: '127.0.0.1' }, { host: 'metadata.example.com' }],
      lookup: fakeDns({
        'portal-test.internal': ['127.0.0.1'],
        'metadata.example.com': ['169.254.169.254', '10.0.0.1'],
      }),
    });
    await expect(strict.read(`http://127.0.0.1:${port}/catalog-info.yaml`)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(strict.read(`http://portal-test.internal:${port}/catalog-info.yaml`)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(strict.read('http://metadata.example.com/latest/meta-data/')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(strict.read('http://[::1]/x')).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(strict.read('http://0x7f.1/x')).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(strict.read('http://[::ffff:127.0.0.1]/x')).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('refuses hosts and schemes outside the allow-list before connecting', async () => {
    await expect(trusting().read('https://example.com/x')).rejects.toThrow(/backend\.reading\.allow/);
    await expect(trusting().read('file:///etc/passwd')).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(trusting().read('not a url')).rejects.toMatchObject({ name: 'InputError' });
  });

  it('caps the size, times out, and reports missing files', async () => {
    await expect(trusting().read(`http://127.0.0.1:${port}/big`)).rejects.toMatchObject({
      name: 'PayloadTooLargeError',
    });
    await expect(trusting().read(`http://127.0.0.1:${port}/hang`)).rejects.toThrow(/timed out/);
    await expect(trusting().read(`http://127.0.0.1:${port}/nope`)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });
});
