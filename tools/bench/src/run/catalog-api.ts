// The catalog's REST API as the bench calls it: through the gateway, with a static token.
import type { Entity } from '@portal/catalog-model';

export interface MutationSummary {
  added: number;
  updated: number;
  deleted: number;
  conflicts: string[];
}

export class CatalogApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  /** A delta mutation of a push provider. */
  push(provider: string, entities: Entity[]): Promise<MutationSummary> {
    return this.post(`/api/catalog/push/${encodeURIComponent(provider)}`, {
      type: 'delta',
      entities: entities.map((entity) => ({ entity })),
      removed: [],
    });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
