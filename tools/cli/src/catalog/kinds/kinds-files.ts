// Kind definition files (`--kinds`): offline copies of a catalog's runtime kinds for CI.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  DescriptorError,
  kindNameOf,
  parseDescriptors,
  type JsonObject,
  type KindDefinitionEntry,
} from '@portal/catalog-model';
import { ConfigurationError, type KindSource } from './kind-source.js';

/** The origins of `GET /api/catalog/kinds` items that are not built into every catalog. */
const CUSTOM_ORIGINS = new Set(['config', 'api']);

/**
 * The custom kind definitions of a `GET /api/catalog/kinds` answer (`{ items: [{ origin,
 * definition }] }`): built-in kinds are left out, every catalog has them. Undefined when `value`
 * does not have that shape.
 */
export function customKindsOfList(value: unknown, where: string): KindDefinitionEntry[] | undefined {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as JsonObject).items))
    return undefined;
  const items = (value as { items: unknown[] }).items;
  const entries: KindDefinitionEntry[] = [];
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'object' || item === null || !('definition' in item)) return undefined;
    const origin = (item as { origin?: unknown }).origin;
    if (typeof origin === 'string' && !CUSTOM_ORIGINS.has(origin)) continue;
    const definition = (item as { definition: unknown }).definition;
    const name = kindNameOf(definition);
    entries.push({ where: `${where} items[${index}]${name === undefined ? '' : ` (${name})`}`, definition });
  }
  return entries;
}

function display(path: string, cwd: string): string {
  return isAbsolute(path) ? path : relative(cwd, resolve(cwd, path)) || path;
}

function readOne(path: string, cwd: string, entries: KindDefinitionEntry[], errors: string[]): void {
  const name = display(path, cwd);
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    errors.push(`${name}: could not be read${code ? ` (${code})` : ''}`);
    return;
  }
  let documents: ReturnType<typeof parseDescriptors>;
  try {
    // The same YAML limits as descriptors: size, documents, aliases.
    documents = parseDescriptors(text);
  } catch (error) {
    if (!(error instanceof DescriptorError)) throw error;
    errors.push(`${name}: ${error.message.replace(/^Descriptor/, 'the file')}`);
    return;
  }
  for (const document of documents) {
    const where = `${name} document #${document.index + 1}`;
    if ('error' in document) errors.push(`${where}: ${document.error}`);
    else
      entries.push(
        ...(customKindsOfList(document.entity, where) ?? [{ where, definition: document.entity }]),
      );
  }
}

/**
 * Reads kind definition files: YAML (or JSON), one definition per document, each shaped like the
 * body of `PUT /api/catalog/kinds/{kind}` with its `kind` given; a document may also be a saved
 * `GET /api/catalog/kinds` answer, whose custom kinds are taken. All files make one source, so a
 * kind defined in two of them is a problem. Throws ConfigurationError for unreadable files and YAML
 * errors, naming the file and document.
 */
export function readKindsFiles(paths: readonly string[], cwd: string): KindSource {
  const entries: KindDefinitionEntry[] = [];
  const errors: string[] = [];
  for (const path of paths) readOne(path, cwd, entries, errors);
  if (errors.length > 0) throw new ConfigurationError(errors, 'the kind files are not usable');
  return { label: `--kinds ${paths.map((path) => display(path, cwd)).join(', ')}`, entries };
}
