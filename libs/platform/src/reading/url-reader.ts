import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
} from '../errors/errors.js';
import { AddressPolicy } from './address-policy.js';
import { isAllowedByRules, parseReadingRules, type ReadingRule } from './reading-rules.js';
import type { Config } from '../config/config.js';

export interface UrlReaderOptions {
  /** `backend.reading.allow`: hosts (and paths) that may be read. */
  allow: ReadingRule[];
  /** CIDRs of private/loopback/link-local ranges that may be reached anyway (none by default). */
  allowPrivateNetworks?: string[];
  maxBytes?: number;
  timeoutMs?: number;
  maxRedirects?: number;
  /** Name resolution, for tests; the system resolver by default. */
  lookup?: typeof dnsLookup;
}

export interface ReadResult {
  body: Buffer;
  /** The URL the content came from, after redirects. */
  url: string;
  etag?: string;
  contentType?: string;
}

/**
 * Reads URLs for the catalog (and later techdocs and the scaffolder) without becoming a way into
 * the internal network: only allow-listed hosts, every redirect hop checked again, and the address
 * each connection actually goes to checked at connect time (so DNS rebinding does not help), with a
 * size cap and a timeout.
 */
export class UrlReader {
  private readonly policy: AddressPolicy;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly maxRedirects: number;
  private readonly resolve: typeof dnsLookup;

  constructor(private readonly options: UrlReaderOptions) {
    this.policy = new AddressPolicy(options.allowPrivateNetworks ?? []);
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.maxRedirects = options.maxRedirects ?? 5;
    this.resolve = options.lookup ?? dnsLookup;
  }

  /** Throws NotAllowedError when `url` may not be read at all (scheme, host, path). */
  check(url: string | URL): URL {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      throw new InputError(`Invalid URL '${String(url)}'`);
    }
    if (!isAllowedByRules(parsed, this.options.allow)) {
      throw new NotAllowedError(
        `Reading ${parsed.protocol}//${parsed.host}${parsed.pathname} is not allowed; add the host to backend.reading.allow`,
      );
    }
    return parsed;
  }

  async read(url: string): Promise<ReadResult> {
    let current = this.check(url);
    for (let hop = 0; ; hop++) {
      const res = await this.request(current);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (hop >= this.maxRedirects) throw new InputError(`Too many redirects reading ${url}`);
        // Every hop is checked again: an allowed host may not redirect to one that is not.
        current = this.check(new URL(res.headers.location, current));
        continue;
      }
      if (status === 404 || status === 410) {
        res.resume();
        throw new NotFoundError(`${current.href} was not found (HTTP ${status})`);
      }
      if (status < 200 || status >= 300) {
        res.resume();
        throw new ServiceUnavailableError(`Reading ${current.href} failed with HTTP ${status}`);
      }
      const body = await this.collect(res, current);
      return {
        body,
        url: current.href,
        etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined,
        contentType: res.headers['content-type'],
      };
    }
  }

  /** A resolver that refuses addresses outside the policy, used for every connection. */
  private guardedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) {
          callback(err, '', 4);
          return;
        }
        const list = (addresses as unknown as LookupAddress[]).filter((a) => this.policy.permits(a.address));
        if (!list.length) {
          const refused = Object.assign(
            new Error(`${hostname} resolves only to addresses that may not be reached`),
            {
              code: 'EADDRNOTALLOWED',
            },
          );
          callback(refused, '', 4);
          return;
        }
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }

  private request(url: URL): Promise<IncomingMessage> {
    // A literal IP skips name resolution, so check it here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !this.policy.permits(literal)) {
      return Promise.reject(
        new NotAllowedError(`Reading from ${literal} is not allowed (private or special address)`),
      );
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.get(
        url,
        {
          lookup: this.guardedLookup(),
          timeout: this.timeoutMs,
          headers: { 'user-agent': 'portal-url-reader', accept: '*/*' },
          agent: false,
        },
        resolve,
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRNOTALLOWED')
          reject(new NotAllowedError(`Reading ${url.host} is not allowed: ${err.message}`));
        else if (err.code === 'ETIMEDOUT')
          reject(new ServiceUnavailableError(`Reading ${url.href} timed out after ${this.timeoutMs} ms`));
        else reject(new ServiceUnavailableError(`Reading ${url.href} failed: ${err.code ?? err.message}`));
      });
    });
  }

  private collect(res: IncomingMessage, url: URL): Promise<Buffer> {
    const declared = Number(res.headers['content-length'] ?? 0);
    if (declared > this.maxBytes) {
      res.destroy();
      return Promise.reject(new PayloadTooLargeError(`${url.href} is larger than ${this.maxBytes} bytes`));
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxBytes) {
          res.destroy();
          reject(new PayloadTooLargeError(`${url.href} is larger than ${this.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', (err) =>
        reject(new ServiceUnavailableError(`Reading ${url.href} failed: ${err.message}`)),
      );
    });
  }
}

/** Backstage's `backend.reading.allow`, plus `backend.reading.allowPrivateNetworks` (CIDRs). */
export function urlReaderFromConfig(config: Config): UrlReader {
  return new UrlReader({
    allow: parseReadingRules(config.getOptional('backend.reading.allow')),
    allowPrivateNetworks: config.getOptionalStringArray('backend.reading.allowPrivateNetworks') ?? [],
  });
}
