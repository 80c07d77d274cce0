// The entity provider extension point, in Backstage's shape.
import type { DeferredEntity } from '../processing/types.js';

export type { DeferredEntity } from '../processing/types.js';

/**
 * A full mutation replaces everything the provider emitted before (what it no longer emits is
 * removed); a delta adds or replaces some entities and removes others, by ref or by entity.
 */
export type EntityProviderMutation =
  | { type: 'full'; entities: DeferredEntity[] }
  | {
      type: 'delta';
      added: DeferredEntity[];
      removed: Array<{ entityRef: string; locationKey?: string } | DeferredEntity>;
    };

/** What a mutation changed; applying the same mutation again reports (and writes) nothing. */
export interface MutationSummary {
  /** Entities the catalog did not know before. */
  added: number;
  /** Known entities whose content or owner key changed. */
  updated: number;
  /** Entities deleted because nothing emits them any more (descendants included). */
  deleted: number;
  /** Refs skipped because another emitter (location key) owns them. */
  conflicts: string[];
}

/** What a provider is given when it connects. */
export interface EntityProviderConnection {
  applyMutation(mutation: EntityProviderMutation): Promise<MutationSummary>;
  /**
   * Asks for the entities owned by these location keys (`url:https://…/catalog-info.yaml`) to be
   * processed again now, together with the Locations that read those sources.
   */
  refresh(options: { keys: string[] }): Promise<void>;
}

/** A source of entities: the config, the locations table, a file tree, a push API, a module. */
export interface EntityProvider {
  /** Unique among the installed providers; stored as the `source_key` of its references. */
  readonly name: string;
  connect(connection: EntityProviderConnection): Promise<void>;
  /** Stops any schedule the provider runs (the engine calls it on stop). */
  disconnect?(): Promise<void>;
}
