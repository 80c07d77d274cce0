// Push ingestion's logic, shared by REST and gRPC: authorise, check, validate, apply.
import { toCanonicalRef, validateEntity, type Entity, type KindRegistry } from '@portal/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  type Logger,
  type Principal,
} from '@portal/platform';
import type {
  DeferredEntity,
  EntityProviderMutation,
  MutationSummary,
} from '../ingestion/entity-provider.js';
import type { PushProviderRegistry } from '../ingestion/push-provider-registry.js';
import type { PushProviderSettings } from './push-settings.js';
import { describePrincipal } from './subject-allow-list.js';

/** A mutation as callers send it (`POST /api/catalog/push/{provider}`, gRPC ApplyMutation). */
export interface PushMutation {
  type: 'full' | 'delta';
  entities: Array<{ entity: unknown; locationKey?: string }>;
  removed: Array<{ entityRef: string; locationKey?: string }>;
}

/** Most problems named in one error message. */
const MAX_PROBLEMS = 10;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, where: string, problems: string[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  problems.push(`${where} must be a string`);
  return undefined;
}

function refOf(entity: unknown): string | undefined {
  try {
    const { kind, metadata } = entity as Entity;
    return toCanonicalRef({ kind, namespace: metadata.namespace, name: metadata.name });
  } catch {
    return undefined;
  }
}

/**
 * Reads a mutation from a REST body: `{type, entities?, removed?}`. Throws an InputError naming
 * the bad part; sizes are checked later, against the provider's limit.
 */
export function parsePushBody(body: unknown): PushMutation {
  if (!isRecord(body)) throw new InputError('The request body must be a JSON object');
  const { type, entities = [], removed = [] } = body;
  if (type !== 'full' && type !== 'delta') throw new InputError("type must be 'full' or 'delta'");
  if (!Array.isArray(entities)) throw new InputError('entities must be a list');
  if (!Array.isArray(removed)) throw new InputError('removed must be a list');
  const unknown = Object.keys(body).filter((key) => !['type', 'entities', 'removed'].includes(key));
  if (unknown.length)
    throw new InputError(`Unknown field ${unknown.map((k) => `'${k}'`).join(', ')} in the mutation`);
  return {
    type,
    entities: entities as PushMutation['entities'],
    removed: removed as PushMutation['removed'],
  };
}

export interface PushServiceOptions {
  /** The engine's push providers (`engine.push`). */
  providers: PushProviderRegistry;
  settings: Map<string, PushProviderSettings>;
  kinds: KindRegistry;
  logger: Logger;
}

/**
 * Applies a caller's mutation for a named push provider. Only listed callers may push (403
 * otherwise; 404 for a provider that is not configured); the whole mutation is checked before
 * anything is written (every entity valid under the kind registry, sizes within the provider's
 * limit), so a bad item refuses it all. Applying the same mutation twice reports zero changes.
 *
 * Ownership: pushed entities are owned by `push:<provider>` (the key the provider emits under), or
 * by `push:<provider>:<locationKey>` when the caller gives a key. Pushes thus never take over
 * entities that locations or other providers own: those refs are reported as conflicts.
 */
export class PushService {
  constructor(private readonly options: PushServiceOptions) {}

  async apply(
    provider: string,
    mutation: PushMutation,
    principal: Principal | undefined,
  ): Promise<MutationSummary> {
    const settings = this.options.settings.get(provider);
    if (!settings) throw new NotFoundError(`No push provider named '${provider}'`);
    if (!settings.allow.allows(principal)) {
      throw new NotAllowedError(`${describePrincipal(principal)} may not push to the provider '${provider}'`);
    }
    const size = mutation.entities.length + mutation.removed.length;
    if (size > settings.maxEntities) {
      throw new PayloadTooLargeError(
        `A mutation for '${provider}' may carry at most ${settings.maxEntities} entities and removals; this one has ${size}`,
      );
    }
    const checked = this.check(provider, mutation);
    const summary = await this.options.providers.applyMutation(provider, checked);
    this.options.logger.info(
      {
        provider,
        type: mutation.type,
        by: describePrincipal(principal),
        added: summary.added,
        updated: summary.updated,
        deleted: summary.deleted,
        conflicts: summary.conflicts.length,
      },
      'push mutation applied',
    );
    return summary;
  }

  /** Validates every item and builds the provider mutation; an InputError names each bad one. */
  private check(provider: string, mutation: PushMutation): EntityProviderMutation {
    const problems: string[] = [];
    const keyOf = (locationKey: string | undefined) =>
      locationKey ? `push:${provider}:${locationKey}` : `push:${provider}`;
    const entities: DeferredEntity[] = [];
    mutation.entities.forEach((item, index) => {
      const where = `entities[${index}]`;
      if (!isRecord(item)) {
        problems.push(`${where} must be an object with entity and optionally locationKey`);
        return;
      }
      const locationKey = optionalString(item.locationKey, `${where}.locationKey`, problems);
      if (item.entity === undefined) {
        problems.push(`${where}.entity is required`);
        return;
      }
      const found = validateEntity(item.entity, this.options.kinds, { maxProblems: 5 });
      if (found.length) {
        const ref = refOf(item.entity);
        const what = found.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
        problems.push(`${where}${ref ? ` (${ref})` : ''} is invalid: ${what}`);
        return;
      }
      entities.push({ entity: item.entity as Entity, locationKey: keyOf(locationKey) });
    });
    if (mutation.type === 'full' && mutation.removed.length) {
      problems.push(
        'removed only applies to delta mutations (a full mutation removes what it no longer lists)',
      );
    }
    const removed: Array<{ entityRef: string }> = [];
    mutation.removed.forEach((item, index) => {
      const where = `removed[${index}]`;
      if (!isRecord(item) || typeof item.entityRef !== 'string') {
        problems.push(`${where} must be an object with entityRef`);
        return;
      }
      optionalString(item.locationKey, `${where}.locationKey`, problems);
      try {
        removed.push({ entityRef: toCanonicalRef(item.entityRef) });
      } catch (error) {
        problems.push(`${where}.entityRef is not a valid entity ref: ${(error as Error).message}`);
      }
    });
    if (problems.length) {
      const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
      throw new InputError(`Invalid mutation: ${problems.slice(0, MAX_PROBLEMS).join('; ')}${more}`);
    }
    return mutation.type === 'full'
      ? { type: 'full', entities }
      : { type: 'delta', added: entities, removed };
  }
}
