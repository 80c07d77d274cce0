// What registering a location would bring in, computed without writing anything.
import { DEFAULT_NAMESPACE, toCanonicalRef, type Entity } from '@portal/catalog-model';
import { InputError } from '@portal/platform';
import type { EntityProcessor } from '../processing/entity-processor.js';
import { locationToEntity } from '../ingestion/location-entity.js';
import type { LocationInput } from './location-input.js';

export interface DryRunLimits {
  /** How deep Location entities are followed below the registered one; default 10. */
  maxDepth?: number;
  /** How many entities a dry run may produce at most; default 2000. */
  maxEntities?: number;
}

export interface DryRunEntity {
  entity: Entity;
  /** The Location entity that emitted it; undefined for the registered location's own entity. */
  parentRef?: string;
  depth: number;
}

function refOf(entity: Entity): string {
  return toCanonicalRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
}

function withNamespace(entity: Entity): Entity {
  return entity.metadata.namespace
    ? entity
    : { ...entity, metadata: { ...entity.metadata, namespace: DEFAULT_NAMESPACE } };
}

/**
 * Backstage's dry run of `POST /locations`: the location's generated Location entity is processed
 * like the engine would (validation, reading the target, the catalog rules), then every entity it
 * emits, following Location entities down to `maxDepth`. Any processing error fails the whole run
 * with an InputError listing the errors; so does an entity emitted twice.
 */
export class LocationDryRun {
  private readonly maxDepth: number;
  private readonly maxEntities: number;

  constructor(
    private readonly processor: EntityProcessor,
    limits: DryRunLimits = {},
  ) {
    this.maxDepth = limits.maxDepth ?? 10;
    this.maxEntities = limits.maxEntities ?? 2000;
  }

  /** The entities the location's target holds, as read and annotated, without processing them. */
  async readTarget(location: LocationInput): Promise<Entity[]> {
    const root = locationToEntity(location);
    const result = await this.processor.process(root, refOf(root));
    if (!result.ok || result.errors.length) {
      throw new InputError(result.errors.map((e) => `${e.name}: ${e.message}`).join(', '));
    }
    return result.children.map((child) => withNamespace(child.entity));
  }

  async run(location: LocationInput): Promise<DryRunEntity[]> {
    const root = locationToEntity(location);
    const queue: DryRunEntity[] = [{ entity: root, depth: 0 }];
    const done: DryRunEntity[] = [];
    const seen = new Set<string>([refOf(root)]);
    while (queue.length) {
      const current = queue.shift()!;
      const ref = refOf(current.entity);
      const result = await this.processor.process(current.entity, ref);
      const errors = result.errors;
      if (!result.ok || errors.length) {
        throw new InputError(errors.map((e) => `${e.name}: ${e.message}`).join(', '));
      }
      done.push({ ...current, entity: withNamespace(result.entity) });
      if (result.children.length && current.depth >= this.maxDepth) {
        throw new InputError(`Location ${ref} nests Locations deeper than ${this.maxDepth} levels`);
      }
      for (const child of result.children) {
        if (seen.has(child.entityRef)) throw new InputError(`Duplicate nested entity: ${child.entityRef}`);
        seen.add(child.entityRef);
        if (seen.size > this.maxEntities) {
          throw new InputError(`The location brings in more than ${this.maxEntities} entities`);
        }
        queue.push({ entity: child.entity, parentRef: ref, depth: current.depth + 1 });
      }
    }
    return done;
  }
}
