// Processes one entity: validate, read Locations, run extra processors, derive relations.
import {
  relationsOf,
  toCanonicalRef,
  validateEntity,
  type Entity,
  type KindRegistry,
  type RelationTriple,
  type SerializedError,
} from '@portal/catalog-model';
import type { LocationProcessor } from './location-processor.js';
import { toSerializedError, type CatalogProcessor, type ProcessingResult } from './types.js';

export interface EntityProcessorOptions {
  kinds: KindRegistry;
  locations: LocationProcessor;
  processors?: CatalogProcessor[];
}

const MAX_PROBLEMS_SHOWN = 10;

function refOf(entity: Entity): string {
  return toCanonicalRef({
    kind: entity.kind,
    namespace: entity.metadata.namespace,
    name: entity.metadata.name,
  });
}

/**
 * The processing pipeline, in order: validation against the kind registry (an invalid entity fails
 * and keeps its last good version), Location reading (children), extra processors, and the
 * relations its spec implies, forward and inverse. Pure apart from the reads a Location makes.
 */
export class EntityProcessor {
  constructor(private readonly options: EntityProcessorOptions) {}

  async process(unprocessed: Entity, entityRef: string): Promise<ProcessingResult> {
    const problems = validateEntity(unprocessed, this.options.kinds, { maxProblems: MAX_PROBLEMS_SHOWN });
    if (problems.length) {
      const details = problems.map((p) => (p.path ? `${p.path} ${p.message}` : p.message)).join('; ');
      return {
        ok: false,
        errors: [{ name: 'InputError', message: `Entity ${entityRef} is invalid: ${details}` }],
      };
    }
    let entity = structuredClone(unprocessed);
    if (refOf(entity) !== entityRef) {
      return {
        ok: false,
        errors: [{ name: 'ConflictError', message: `Entity ${refOf(entity)} was stored under ${entityRef}` }],
      };
    }

    const errors: SerializedError[] = [];
    const relations: RelationTriple[] = [];
    let children: Extract<ProcessingResult, { ok: true }>['children'] = [];
    let keptLocationKeys: string[] = [];

    if (entity.kind === 'Location') {
      const read = await this.options.locations.process(entity, entityRef);
      children = read.children;
      keptLocationKeys = read.keptLocationKeys;
      errors.push(...read.errors);
    }

    for (const processor of this.options.processors ?? []) {
      try {
        const next = await processor.process(entity, {
          relation: (relation) => relations.push(relation),
          error: (error) => errors.push(toSerializedError(error)),
        });
        if (next) entity = next;
      } catch (error) {
        const cause = toSerializedError(error);
        return {
          ok: false,
          errors: [
            {
              name: cause.name,
              message: `Processor ${processor.name} failed on ${entityRef}: ${cause.message}`,
            },
          ],
        };
      }
      if (refOf(entity) !== entityRef) {
        return {
          ok: false,
          errors: [
            {
              name: 'ConflictError',
              message: `Processor ${processor.name} changed the kind, namespace or name of ${entityRef}`,
            },
          ],
        };
      }
    }

    const implied = relationsOf(entity, this.options.kinds);
    relations.push(...implied.forward, ...implied.inverse);
    return { ok: true, entity, relations, children, keptLocationKeys, errors };
  }
}
