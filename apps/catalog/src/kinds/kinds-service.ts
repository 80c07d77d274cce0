// The kinds API's logic: list, read, store and remove runtime kinds (controllers only translate).
import type { DataSource } from 'typeorm';
import {
  isValidKind,
  KindDefinitionError,
  type KindRegistry,
  type NormalizedKindDefinition,
  type RegisteredKind,
} from '@portal/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  type Logger,
  type Principal,
} from '@portal/platform';
import { inTransaction, withConnection } from '../processing/util/sql.js';
import { describePrincipal, type SubjectAllowList } from '../push/subject-allow-list.js';
import type { KindSync } from './kind-sync.js';
import { countEntitiesOfKind } from './operations/count-entities-of-kind.js';
import { deleteStoredKind, lockStoredKind } from './operations/delete-stored-kind.js';
import { scheduleRefreshOfKind } from './operations/schedule-refresh-of-kind.js';
import { upsertStoredKind } from './operations/upsert-stored-kind.js';

/** Where a kind comes from: built into the catalog, `catalog.kinds`, or this API. */
export type KindOrigin = 'builtin' | 'config' | 'api';

export interface KindView {
  origin: KindOrigin;
  definition: NormalizedKindDefinition;
  /** For kinds stored through the API. */
  createdAt?: string;
  updatedAt?: string;
}

export interface KindsServiceOptions {
  dataSource: DataSource;
  registry: KindRegistry;
  /** Lowercase names of the kinds of `catalog.kinds`. */
  configured: ReadonlySet<string>;
  sync: KindSync;
  logger: Logger;
  /** Who may store and remove kinds (`catalog.kindsApi.allow`); undefined: any authenticated caller. */
  writers?: SubjectAllowList;
  /**
   * How long after a change the entities of the kind are processed again, so that every replica
   * has loaded the new definition by then; default 1.5 s.
   */
  refreshDelayMs?: number;
}

export class KindsService {
  constructor(private readonly options: KindsServiceOptions) {}

  /** Every kind this replica accepts: built-in ones, then config, then runtime ones. */
  list(): KindView[] {
    return this.options.registry.list().map((kind) => this.view(kind));
  }

  /** The kind named `kind` in any case; NotFoundError when there is none. */
  get(kind: string): KindView {
    const found = this.options.registry.find(kind);
    if (!found) throw new NotFoundError(`No kind named '${kind}'`);
    return this.view(found);
  }

  /**
   * Stores a runtime kind and applies it on this replica at once (the others follow through
   * catalog_kinds' notification). The body is a kind definition; its `kind` may be left out and
   * must otherwise name the path's kind. Entities of the kind are processed again soon after a
   * change. Returns whether the kind is new.
   */
  async put(
    kind: string,
    body: unknown,
    principal?: Principal,
  ): Promise<{ created: boolean; view: KindView }> {
    this.authorize(principal);
    checkPathKind(kind);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InputError('The request body must be a kind definition (a JSON object)');
    }
    const input = { ...(body as Record<string, unknown>) };
    if (input.kind === undefined) input.kind = kind;
    if (typeof input.kind !== 'string' || input.kind.toLowerCase() !== kind.toLowerCase()) {
      throw new InputError(
        `kind in the body (${JSON.stringify(input.kind)}) does not name the kind in the path ('${kind}')`,
      );
    }
    this.refuseFixed(input.kind, 'redefined');
    let checked: RegisteredKind;
    try {
      checked = this.options.registry.check(input);
    } catch (error) {
      if (error instanceof KindDefinitionError) {
        if (error.conflict) throw new ConflictError(`${error.message}; delete that kind first to rename it`);
        throw new InputError(error.message);
      }
      throw error;
    }
    const { definition } = checked;
    const result = await inTransaction(this.options.dataSource, async (sql) => {
      const upserted = await upsertStoredKind(sql, definition);
      if (upserted.outcome === 'created' || upserted.outcome === 'updated') {
        await scheduleRefreshOfKind(sql, definition.kind, this.options.refreshDelayMs ?? 1500);
      }
      return upserted;
    });
    if (result.outcome === 'conflict') {
      throw new ConflictError(
        `Kind "${definition.kind}" clashes with the kind "${result.stored.kind}"; delete that kind first to rename it`,
      );
    }
    await this.options.sync.reload();
    if (result.outcome !== 'unchanged') {
      this.options.logger.info(
        { kind: definition.kind, outcome: result.outcome, by: describePrincipal(principal) },
        'runtime kind stored',
      );
    }
    return { created: result.outcome === 'created', view: this.get(definition.kind) };
  }

  /**
   * Removes a runtime kind. ConflictError while the catalog holds entities of it (processed or
   * not) and for built-in and configured kinds; NotFoundError when it is not stored.
   */
  async remove(kind: string, principal?: Principal): Promise<void> {
    this.authorize(principal);
    checkPathKind(kind);
    this.refuseFixed(kind, 'removed');
    const removed = await inTransaction(this.options.dataSource, async (sql) => {
      const stored = await lockStoredKind(sql, kind);
      if (!stored) return undefined;
      const { known, visible } = await countEntitiesOfKind(sql, kind);
      if (known > 0) {
        throw new ConflictError(
          `Kind "${stored}" cannot be removed while the catalog holds ${known} ${known === 1 ? 'entity' : 'entities'} of it (${visible} visible); remove them first`,
        );
      }
      await deleteStoredKind(sql, kind);
      return stored;
    });
    if (!removed) throw new NotFoundError(`No runtime kind named '${kind}'`);
    await this.options.sync.reload();
    this.options.logger.info({ kind: removed, by: describePrincipal(principal) }, 'runtime kind removed');
  }

  /** How many entities of a kind the catalog holds (for tools and tests). */
  countEntities(kind: string) {
    return withConnection(this.options.dataSource, (sql) => countEntitiesOfKind(sql, kind));
  }

  private authorize(principal: Principal | undefined): void {
    const { writers } = this.options;
    if (writers && !writers.allows(principal)) {
      throw new NotAllowedError(
        `${describePrincipal(principal)} may not change kinds (catalog.kindsApi.allow)`,
      );
    }
  }

  private refuseFixed(kind: string, what: 'redefined' | 'removed'): void {
    const existing = this.options.registry.find(kind);
    if (existing?.builtin) {
      throw new ConflictError(`Kind "${existing.definition.kind}" is built in and cannot be ${what}`);
    }
    if (this.options.configured.has(kind.toLowerCase())) {
      throw new ConflictError(
        `Kind "${existing?.definition.kind ?? kind}" is defined in the configuration (catalog.kinds) and cannot be ${what} through the API`,
      );
    }
  }

  private view(kind: RegisteredKind): KindView {
    const key = kind.definition.kind.toLowerCase();
    if (kind.builtin) return { origin: 'builtin', definition: kind.definition };
    if (this.options.configured.has(key)) return { origin: 'config', definition: kind.definition };
    const stored = this.options.sync.stored(key);
    return {
      origin: 'api',
      definition: kind.definition,
      ...(stored ? { createdAt: stored.createdAt, updatedAt: stored.updatedAt } : {}),
    };
  }
}

function checkPathKind(kind: string): void {
  if (!isValidKind(kind)) throw new InputError(`'${kind}' is not a valid kind name`);
}
