// Reads descriptor files and checks every entity in them, file by file.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_NAMESPACE,
  DescriptorError,
  parseDescriptors,
  validateEntity,
  type JsonObject,
  type KindRegistry,
} from '@portal/catalog-model';
import type { MatchedFile } from './expand-patterns.js';

/** One thing wrong in a file: with a document when it is about one, with a path when about a field. */
export interface FileProblem {
  /** 1-based position of the YAML document in the file (empty documents counted). */
  document?: number;
  /** `kind:namespace/name` of the document's entity, as written, when it has a kind and a name. */
  entityRef?: string;
  /** Dotted path of the field (`spec.owner`). */
  path?: string;
  message: string;
}

export interface FileReport {
  path: string;
  /** Documents that hold an object, valid or not. */
  entities: number;
  problems: FileProblem[];
}

/** The entity's ref as written (case kept), or undefined when kind or name is missing. */
function refOf(entity: JsonObject): string | undefined {
  const metadata = entity.metadata;
  if (typeof entity.kind !== 'string' || typeof metadata !== 'object' || metadata === null) return undefined;
  if (Array.isArray(metadata) || typeof metadata.name !== 'string') return undefined;
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : null;
  return `${entity.kind}:${namespace ?? DEFAULT_NAMESPACE}/${metadata.name}`;
}

function readText(file: MatchedFile): string | FileProblem {
  try {
    return readFileSync(file.absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { message: `could not be read${code ? ` (${code})` : ''}` };
  }
}

/** Where each entity was first seen, by lowercase ref: a second one is a conflict in the catalog. */
type SeenEntities = Map<string, { path: string; document: number }>;

function validateFile(file: MatchedFile, kinds: KindRegistry, seen: SeenEntities): FileReport {
  const report: FileReport = { path: file.display, entities: 0, problems: [] };
  const text = readText(file);
  if (typeof text !== 'string') {
    report.problems.push(text);
    return report;
  }
  let documents: ReturnType<typeof parseDescriptors>;
  try {
    documents = parseDescriptors(text);
  } catch (error) {
    if (!(error instanceof DescriptorError)) throw error;
    report.problems.push({ message: error.message });
    return report;
  }
  for (const document of documents) {
    const position = document.index + 1;
    if ('error' in document) {
      report.problems.push({ document: position, message: document.error });
      continue;
    }
    report.entities++;
    const entityRef = refOf(document.entity);
    const problems = validateEntity(document.entity, kinds);
    for (const problem of problems) {
      report.problems.push({
        document: position,
        ...(entityRef === undefined ? {} : { entityRef }),
        ...(problem.path === '' ? {} : { path: problem.path }),
        message: problem.message,
      });
    }
    if (entityRef === undefined || problems.length > 0) continue;
    // Refs compare case-insensitively, as the catalog compares them.
    const key = entityRef.toLowerCase();
    const first = seen.get(key);
    if (first) {
      report.problems.push({
        document: position,
        entityRef,
        path: 'metadata.name',
        message: `the same entity is already defined in ${first.path} document #${first.document}`,
      });
    } else {
      seen.set(key, { path: file.display, document: position });
    }
  }
  return report;
}

/**
 * Validates every entity of every file against `kinds`. Never throws for bad input: unreadable
 * files, YAML errors, invalid entities and entities defined twice all become problems.
 */
export function validateDescriptorFiles(files: MatchedFile[], kinds: KindRegistry): FileReport[] {
  const seen: SeenEntities = new Map();
  return files.map((file) => validateFile(file, kinds, seen));
}
