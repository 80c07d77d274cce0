import type { NormalizedKindDefinition } from '@portal/catalog-model';

/** The channel every write to `catalog_kinds` notifies, with the kind as payload. */
export const KINDS_CHANNEL = 'catalog_kinds';

/** A runtime kind as `catalog_kinds` stores it. */
export interface StoredKind {
  kind: string;
  definition: NormalizedKindDefinition;
  /** Increases on every change (a string: bigint). */
  revision: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredKindRow {
  kind: string;
  definition: NormalizedKindDefinition;
  revision: string;
  created_at: Date | string;
  updated_at: Date | string;
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

export function toStoredKind(row: StoredKindRow): StoredKind {
  return {
    kind: row.kind,
    definition: row.definition,
    revision: String(row.revision),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const STORED_KIND_COLUMNS = 'kind, definition, revision::text AS revision, created_at, updated_at';
