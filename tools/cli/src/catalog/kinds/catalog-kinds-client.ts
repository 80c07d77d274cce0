// Reads the kinds a running portal's catalog accepts: `GET <gateway>/api/catalog/kinds`.
import { customKindsOfList } from './kinds-files.js';
import type { KindSource } from './kind-source.js';

/** The catalog could not be asked, or gave no kinds list: a usage error naming the URL and why. */
export class CatalogUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`cannot read the kinds of the catalog at ${url}: ${reason}`);
    this.name = 'CatalogUnreachableError';
  }
}

export interface CatalogKindsClientOptions {
  /** The portal's base URL (its gateway), e.g. `https://portal.example.com`. */
  baseUrl: string;
  /** A user or static token, sent as `Authorization: Bearer`. */
  token?: string;
  /** How long to wait for the answer; default 15 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
};

/** `http://host:7007/api/catalog/kinds` from a gateway URL (or one that already names the catalog API). */
export function kindsUrlOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`"${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`"${baseUrl}" is not an http(s) URL`);
  }
  if (url.search || url.hash) throw new TypeError(`"${baseUrl}" must not have a query or fragment`);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/api/catalog') ? `${path}/kinds` : `${path}/api/catalog/kinds`;
  return url.toString();
}

function networkReason(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code) return `${NETWORK_ERRORS[code] ?? cause?.message ?? 'network error'} (${code})`;
  // fetch refuses ports of other protocols (1, 22, 25, …) before connecting.
  if (cause?.message === 'bad port') return 'fetch does not connect to this port (bad port)';
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** The message of Backstage's error body `{ error: { name, message } }`, if the text is one. */
function errorMessageOf(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } })?.error?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

function statusReason(response: Response, body: string): string {
  const message = errorMessageOf(body);
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  const hint =
    response.status === 401
      ? '; pass a token with --token or PORTAL_TOKEN'
      : response.status === 404
        ? '; is this the base URL of the portal (its gateway)?'
        : '';
  return `it answered ${status}${message ? `: ${message}` : ''}${hint}`;
}

export class CatalogKindsClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  /** Throws TypeError for a base URL that is not an http(s) URL. */
  constructor(private readonly options: CatalogKindsClientOptions) {
    this.url = kindsUrlOf(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * The catalog's custom kinds (from its `catalog.kinds` and its kinds API) as a source; built-in
   * kinds are left out. Throws CatalogUnreachableError when the catalog cannot be asked, refuses,
   * or does not answer with a kinds list.
   */
  async customKinds(): Promise<KindSource> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    let body: string;
    try {
      response = await this.fetch(this.url, {
        headers,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      throw new CatalogUnreachableError(this.url, networkReason(error, this.timeoutMs));
    }
    if (response.status !== 200) throw new CatalogUnreachableError(this.url, statusReason(response, body));
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      throw new CatalogUnreachableError(this.url, 'the answer is not JSON; is this the portal?');
    }
    const entries = customKindsOfList(value, `the catalog at ${this.url}`);
    if (!entries)
      throw new CatalogUnreachableError(this.url, 'the answer is not a list of kinds ({ items })');
    return { label: `the catalog at ${this.url}`, entries };
  }
}
