import { entityRefOf, type CatalogEntity, type UserCatalog } from '../user-catalog.js';

/**
 * An in-memory catalog for sign-in tests: filters match flattened dotted paths case-insensitively,
 * like the catalog's FilterPredicate (only plain `path: value` entries).
 */
export class FakeUserCatalog implements UserCatalog {
  readonly byRefCalls: string[][] = [];
  readonly queries: Array<Record<string, unknown>> = [];
  failing = false;

  constructor(readonly entities: CatalogEntity[]) {}

  async query(filter: Record<string, unknown>, limit: number): Promise<CatalogEntity[]> {
    this.check();
    this.queries.push(filter);
    return this.entities.filter((e) => matches(e, filter)).slice(0, limit);
  }

  async getByRefs(refs: string[]): Promise<Array<CatalogEntity | undefined>> {
    this.check();
    this.byRefCalls.push(refs);
    return refs.map((ref) => this.entities.find((e) => entityRefOf(e) === ref));
  }

  private check(): void {
    if (this.failing) throw new Error('catalog down');
  }
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix.toLowerCase(), value);
  }
}

function matches(entity: CatalogEntity, filter: Record<string, unknown>): boolean {
  const flat = new Map<string, unknown>();
  flatten(entity, '', flat);
  return Object.entries(filter).every(
    ([path, want]) => String(flat.get(path.toLowerCase()) ?? '').toLowerCase() === String(want).toLowerCase(),
  );
}

export const user = (
  name: string,
  spec: Record<string, unknown> = {},
  extra: Partial<CatalogEntity> = {},
): CatalogEntity => ({
  kind: 'User',
  metadata: { name, namespace: 'default', ...(extra.metadata ?? {}) },
  spec: { memberOf: [], ...spec },
  ...(extra.relations ? { relations: extra.relations } : {}),
});

export const group = (name: string, parent?: string, extra: Partial<CatalogEntity> = {}): CatalogEntity => ({
  kind: 'Group',
  metadata: { name, namespace: 'default', ...(extra.metadata ?? {}) },
  spec: { type: 'team', children: [], ...(parent ? { parent } : {}) },
  ...(extra.relations ? { relations: extra.relations } : {}),
});
