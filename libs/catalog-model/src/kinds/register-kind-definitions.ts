// Registers lists of custom kind definitions (config, kind files, a catalog's kinds API) and says
// where each problem is, so that the catalog service and `portal catalog validate` accept and refuse
// the same definitions with the same messages.
import { isObject } from '../validation/problem.js';
import { KindDefinitionError, type KindRegistry } from './kind-registry.js';

/** One kind definition and where it was written (`catalog.kinds[2]`, `kinds.yaml document #1`). */
export interface KindDefinitionEntry {
  where: string;
  definition: unknown;
}

/** A definition that was refused: where it is, the key inside it (`relations[0].field`, or ''), why. */
export interface KindRegistrationProblem {
  where: string;
  path: string;
  message: string;
}

/** `relations.0.field` (a validation path) as a config key: `relations[0].field`. */
export function toConfigKeyPath(path: string): string {
  if (path === '') return '';
  return path
    .split('.')
    .map((part, index) => (/^\d+$/.test(part) ? `[${part}]` : index === 0 ? part : `.${part}`))
    .join('');
}

/** The `kind` a definition names, if it names one. */
export function kindNameOf(definition: unknown): string | undefined {
  if (!isObject(definition)) return undefined;
  return typeof definition.kind === 'string' ? definition.kind : undefined;
}

/**
 * Registers every entry (each as `KindRegistry.register` takes it), in order. A kind named twice,
 * in any case, is a problem at its second entry; a bad definition is a problem per bad key. The
 * good entries are registered whatever the bad ones.
 */
export function registerKindDefinitions(
  registry: KindRegistry,
  entries: readonly KindDefinitionEntry[],
): KindRegistrationProblem[] {
  const problems: KindRegistrationProblem[] = [];
  const definedAt = new Map<string, string>();
  for (const { where, definition } of entries) {
    const name = kindNameOf(definition);
    const earlier = name === undefined ? undefined : definedAt.get(name.toLowerCase());
    if (earlier !== undefined) {
      problems.push({ where, path: 'kind', message: `kind "${name}" is already defined at ${earlier}` });
      continue;
    }
    try {
      registry.register(definition);
      if (name !== undefined) definedAt.set(name.toLowerCase(), where);
    } catch (error) {
      if (!(error instanceof KindDefinitionError)) throw error;
      if (error.problems.length === 0) problems.push({ where, path: '', message: error.message });
      for (const problem of error.problems) {
        problems.push({ where, path: toConfigKeyPath(problem.path), message: problem.message });
      }
    }
  }
  return problems;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `catalog.kinds[1].relations[0].field: must match pattern …`: a problem as one config-key line. */
export function formatKeyProblem(problem: KindRegistrationProblem): string {
  const key = problem.path === '' ? problem.where : `${problem.where}.${problem.path}`;
  return `${key}: ${problem.message}`;
}

/**
 * Registers the kind definitions of a config list (the value at `listKey`, `catalog.kinds` by
 * default; absent is fine). Returns one line per problem naming its config key
 * (`catalog.kinds[1].relations[0].field: …`); none when every definition is good.
 */
export function registerKindList(
  registry: KindRegistry,
  value: unknown,
  listKey = 'catalog.kinds',
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    return [`${listKey}: must be a list of kind definitions, found ${describe(value)}`];
  const entries = value.map((definition: unknown, index) => ({ where: `${listKey}[${index}]`, definition }));
  return registerKindDefinitions(registry, entries).map(formatKeyProblem);
}

/** Lowercase names of the kinds a config list defines (its entries that name one). */
export function kindNamesOfList(value: unknown): Set<string> {
  if (!Array.isArray(value)) return new Set();
  return new Set(
    value
      .map((definition: unknown) => kindNameOf(definition))
      .filter((kind): kind is string => kind !== undefined)
      .map((kind) => kind.toLowerCase()),
  );
}
