// Reads what a Location entity points at and turns every document into a child entity.
import {
  ANNOTATION_EDIT_URL,
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  ANNOTATION_VIEW_URL,
  DescriptorError,
  parseDescriptors,
  toCanonicalRef,
  type Entity,
  type JsonObject,
  type SerializedError,
} from '@portal/catalog-model';
import type { FileReader, Logger, UrlReader } from '@portal/platform';
import type { CatalogRules } from './catalog-rules.js';
import {
  parseLocationRef,
  resolveLocationTarget,
  stringifyLocationRef,
  urlLocationAnnotations,
  type LocationSpec,
} from './location-ref.js';
import { hashOf } from './util/stable-json.js';
import { mapConcurrent } from './util/concurrency.js';
import { containsNul, type EmittedChild } from './types.js';

export interface LocationProcessorOptions {
  urlReader: UrlReader;
  fileReader: FileReader;
  rules: CatalogRules;
  logger: Logger;
  /** Targets of one Location read at once; default 5. */
  readConcurrency?: number;
}

/** What reading a Location's targets gave. */
export interface LocationReadResult {
  children: EmittedChild[];
  errors: SerializedError[];
  /** Targets that could not be read or parsed: their previous children are kept. */
  keptLocationKeys: string[];
}

type TargetOutcome =
  | { key: string; children: Entity[] }
  | { key: string; failed: SerializedError }
  | { key?: undefined; failed: SerializedError };

function locationError(name: string, message: string): SerializedError {
  return { name, message: message.length > 2000 ? `${message.slice(0, 2000)}…` : message };
}

function readAnnotation(entity: Entity, key: string): string | undefined {
  const value = entity.metadata.annotations?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

function tryParseLocationRef(ref: string | undefined): LocationSpec | undefined {
  if (!ref) return undefined;
  try {
    return parseLocationRef(ref);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a document cannot be an entity at all (no kind or name to give it a ref), or undefined. */
function envelopeProblem(document: JsonObject): string | undefined {
  if (typeof document.kind !== 'string' || !document.kind) return 'has no kind';
  if (typeof document.apiVersion !== 'string' || !document.apiVersion) return 'has no apiVersion';
  if (!isRecord(document.metadata)) return 'has no metadata';
  const { name, namespace, annotations } = document.metadata;
  if (typeof name !== 'string' || !name) return 'has no metadata.name';
  if (namespace !== undefined && (typeof namespace !== 'string' || !namespace)) {
    return 'has a metadata.namespace that is not a string';
  }
  if (annotations !== undefined && !isRecord(annotations))
    return 'has metadata.annotations that are not a map';
  if (containsNul(document)) return 'contains a NUL character, which the catalog cannot store';
  return undefined;
}

/**
 * Location processing, as Backstage does it: each `target`/`targets` entry is resolved relative
 * to the Location's own managed-by-location, read (url through the UrlReader, file through the
 * FileReader, which refuses anything outside `catalog.fileRoots`), parsed as multi-document YAML,
 * and every document becomes a child annotated with where it came from.
 *
 * A target that cannot be read or parsed (missing, refused, broken YAML, a document that is not an
 * entity) is an error on the Location and its previous children are kept untouched: a broken file
 * never orphans anything. A child whose kind the rules refuse for the Location's origin is dropped
 * with an error on the Location.
 */
export class LocationProcessor {
  private readonly readConcurrency: number;

  constructor(private readonly options: LocationProcessorOptions) {
    this.readConcurrency = options.readConcurrency ?? 5;
  }

  async process(location: Entity, locationRef: string): Promise<LocationReadResult> {
    const spec = (location.spec ?? {}) as {
      type?: unknown;
      target?: unknown;
      targets?: unknown;
      presence?: unknown;
    };
    const managedBy = tryParseLocationRef(readAnnotation(location, ANNOTATION_LOCATION));
    const originRef =
      readAnnotation(location, ANNOTATION_ORIGIN_LOCATION) ?? readAnnotation(location, ANNOTATION_LOCATION);
    const origin = tryParseLocationRef(originRef);
    const type = typeof spec.type === 'string' && spec.type ? spec.type : managedBy?.type;
    const optional = spec.presence === 'optional';
    const targets: string[] = [];
    if (typeof spec.target === 'string' && spec.target) targets.push(spec.target);
    if (Array.isArray(spec.targets)) {
      for (const target of spec.targets) if (typeof target === 'string' && target) targets.push(target);
    }

    const result: LocationReadResult = { children: [], errors: [], keptLocationKeys: [] };
    if (!targets.length) return result;
    if (!type) {
      result.errors.push(
        locationError('InputError', `Location ${locationRef} has no spec.type and no location of its own`),
      );
      return result;
    }

    const outcomes = await mapConcurrent(targets, this.readConcurrency, (target) =>
      this.readTarget(type, target, managedBy, optional),
    );

    const seen = new Map<string, string>();
    for (const outcome of outcomes) {
      if ('failed' in outcome) {
        result.errors.push(outcome.failed);
        if (outcome.key) result.keptLocationKeys.push(outcome.key);
        continue;
      }
      const source = parseLocationRef(outcome.key);
      for (const document of outcome.children) {
        const child = this.annotate(document, source, originRef ?? outcome.key);
        const childRef = toCanonicalRef({
          kind: child.kind,
          namespace: child.metadata.namespace,
          name: child.metadata.name,
        });
        if (childRef === locationRef) {
          this.options.logger.warn({ entityRef: locationRef }, 'a Location emitted itself; ignored');
          continue;
        }
        if (!this.options.rules.isAllowed(child, origin)) {
          result.errors.push(
            locationError(
              'NotAllowedError',
              `Entity ${childRef} at ${outcome.key}, originated at ${originRef ?? outcome.key}, is not of an allowed kind for that location`,
            ),
          );
          continue;
        }
        const previous = seen.get(childRef);
        if (previous !== undefined) {
          result.errors.push(
            locationError(
              'ConflictError',
              `Entity ${childRef} is defined twice, in ${previous} and in ${outcome.key}`,
            ),
          );
          continue;
        }
        seen.set(childRef, outcome.key);
        result.children.push({
          entity: child,
          entityRef: childRef,
          locationKey: outcome.key,
          hash: hashOf(child),
        });
      }
    }
    return result;
  }

  private async readTarget(
    type: string,
    rawTarget: string,
    base: LocationSpec | undefined,
    optional: boolean,
  ): Promise<TargetOutcome> {
    let target: string;
    try {
      target = resolveLocationTarget(type, rawTarget, base);
    } catch (error) {
      return { failed: locationError('InputError', (error as Error).message) };
    }
    const key = stringifyLocationRef({ type, target });
    let text: string;
    try {
      if (type === 'url') text = (await this.options.urlReader.read(target)).body.toString('utf8');
      else if (type === 'file') text = (await this.options.fileReader.read(target)).body.toString('utf8');
      else
        return {
          key,
          failed: locationError(
            'InputError',
            `Unable to read ${key}, location type '${type}' is not supported`,
          ),
        };
    } catch (error) {
      const name = (error as Error).name || 'Error';
      if (name === 'NotFoundError' && optional) return { key, children: [] };
      return { key, failed: locationError(name, `Unable to read ${key}, ${(error as Error).message}`) };
    }
    let documents: ReturnType<typeof parseDescriptors>;
    try {
      documents = parseDescriptors(text);
    } catch (error) {
      const name = error instanceof DescriptorError ? 'InputError' : 'Error';
      return { key, failed: locationError(name, `Unable to parse ${key}, ${(error as Error).message}`) };
    }
    const children: Entity[] = [];
    const problems: string[] = [];
    for (const document of documents) {
      if ('error' in document) {
        problems.push(`document ${document.index + 1}: ${document.error}`);
        continue;
      }
      const problem = envelopeProblem(document.entity);
      if (problem) problems.push(`document ${document.index + 1} ${problem}`);
      else children.push(document.entity as unknown as Entity);
    }
    if (problems.length) {
      const shown = problems.slice(0, 5).join('; ');
      const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
      return { key, failed: locationError('InputError', `Unable to parse ${key}, ${shown}${more}`) };
    }
    return { key, children };
  }

  /** The child as stored: where it was read from, the root it descends from, and for urls where to see it. */
  private annotate(document: Entity, source: LocationSpec, originRef: string): Entity {
    const own = document.metadata.annotations ?? {};
    const derived: Record<string, string> = {};
    if (source.type === 'url') {
      const { sourceLocation, viewUrl, editUrl } = urlLocationAnnotations(source.target);
      derived[ANNOTATION_SOURCE_LOCATION] = sourceLocation;
      derived[ANNOTATION_VIEW_URL] = viewUrl;
      if (editUrl) derived[ANNOTATION_EDIT_URL] = editUrl;
    }
    return {
      ...document,
      metadata: {
        ...document.metadata,
        annotations: {
          ...derived,
          ...own,
          [ANNOTATION_LOCATION]: stringifyLocationRef(source),
          [ANNOTATION_ORIGIN_LOCATION]: originRef,
        },
      },
    };
  }
}
