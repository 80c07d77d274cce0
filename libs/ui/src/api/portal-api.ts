import type { AuthSession } from './auth-session.js';
import { ResponseError } from './response-error.js';

export interface PortalApiOptions {
  /** The gateway's origin; the page's own by default. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Calls the portal's APIs through the gateway with the user's token. A 401 refreshes the token and
 * tries once more; a failed call throws a ResponseError carrying the status and Backstage's error.
 */
export class PortalApi {
  constructor(
    private readonly session: AuthSession,
    private readonly options: PortalApiOptions = {},
  ) {}

  /** `path` starts with `/api/…`. Resolves only for 2xx answers. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    let res = await this.send(path, init, await this.session.getToken());
    if (res.status === 401 && this.session.identity) {
      const fresh = await this.session.refresh().catch(() => undefined);
      if (fresh) res = await this.send(path, init, fresh.token);
    }
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  async getJson<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }

  async postJson<T>(path: string, body: unknown, init?: RequestInit): Promise<T> {
    const res = await this.fetch(path, {
      ...init,
      method: init?.method ?? 'POST',
      headers: { 'content-type': 'application/json', ...(init?.headers as Record<string, string>) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private send(path: string, init: RequestInit, token: string | undefined): Promise<Response> {
    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    const headers = new Headers(init.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return doFetch(`${this.options.baseUrl ?? ''}${path}`, { ...init, headers });
  }
}
