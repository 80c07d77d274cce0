// Reads a descriptor file (catalog-info.yaml): one entity per YAML document.
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from './entity.js';

export interface ParseDescriptorsOptions {
  /** Largest text accepted, in UTF-8 bytes; default 5 MiB. */
  maxBytes?: number;
  /** Most documents accepted in one file; default 10000. */
  maxDocuments?: number;
  /** Most alias (`*name`) expansions per document, against alias bombs; default 100. */
  maxAliases?: number;
}

/** One document of the file: its position (0-based, empty documents counted) and its object or error. */
export type DescriptorDocument = { index: number; entity: JsonObject } | { index: number; error: string };

/** The whole file was refused (too large, too many documents). */
export class DescriptorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DescriptorError';
  }
}

const DEFAULTS = { maxBytes: 5 * 1024 * 1024, maxDocuments: 10_000, maxAliases: 100 };

/** UTF-8 length of `text`, counting only as far as `limit` + 1. */
function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '');
}

function describeRoot(value: unknown): string {
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Splits a multi-document YAML text into entities (unvalidated objects) and per-document errors.
 * Empty documents are skipped. Throws DescriptorError only when the file as a whole is refused.
 */
export function parseDescriptors(text: string, options: ParseDescriptorsOptions = {}): DescriptorDocument[] {
  const { maxBytes, maxDocuments, maxAliases } = { ...DEFAULTS, ...options };
  const size = utf8Length(text, maxBytes);
  if (size > maxBytes) throw new DescriptorError(`Descriptor is larger than ${maxBytes} bytes`);
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    // Merge keys (`<<`) stay ordinary keys, as in Backstage's default.
    documents = parseAllDocuments(text, { merge: false, prettyErrors: true });
  } catch (error) {
    throw new DescriptorError(`Descriptor is not YAML: ${firstLine((error as Error).message)}`);
  }
  const list = Array.isArray(documents) ? documents : [];
  if (list.length > maxDocuments) {
    throw new DescriptorError(
      `Descriptor has ${list.length} documents, more than the ${maxDocuments} allowed`,
    );
  }
  const results: DescriptorDocument[] = [];
  list.forEach((document, index) => {
    if (document.errors.length > 0) {
      results.push({ index, error: `YAML error: ${firstLine(document.errors[0].message)}` });
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: maxAliases });
    } catch (error) {
      results.push({ index, error: `YAML error: ${firstLine((error as Error).message)}` });
      return;
    }
    if (value === null || value === undefined) return;
    if (isPlainObject(value)) results.push({ index, entity: value });
    else
      results.push({ index, error: `Expected an object at the document root, found ${describeRoot(value)}` });
  });
  return results;
}
