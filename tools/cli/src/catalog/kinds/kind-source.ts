// Custom kinds from several places (config, kind files, a running catalog) merged into one registry.
import {
  checkKindDefinition,
  KindRegistry,
  kindNameOf,
  registerKindDefinitions,
  type KindDefinitionEntry,
  type KindRegistrationProblem,
} from '@portal/catalog-model';

/** Custom kinds could not be loaded (a file, a definition, the catalog); each detail says where. */
export class ConfigurationError extends Error {
  constructor(
    readonly details: string[],
    /** What could not be used, for the first line of the message. */
    readonly heading = 'the configuration is not usable',
  ) {
    super(details.join('\n'));
    this.name = 'ConfigurationError';
  }
}

/** The custom kinds of one place, in the order written there. */
export interface KindSource {
  /** For messages: `catalog.kinds (app-config.yaml)`, `the catalog at http://…`. */
  label: string;
  entries: KindDefinitionEntry[];
  /** How a problem of this source reads; default `<where>: <path>: <message>`. */
  formatProblem?(problem: KindRegistrationProblem): string;
}

/** A custom kind in the registry and where its definition came from. */
export interface CustomKindOrigin {
  kind: string;
  source: string;
}

export interface MergedKinds {
  kinds: KindRegistry;
  customKinds: CustomKindOrigin[];
  /** A definition skipped because a source before it defines the same kind differently. */
  notes: string[];
  /** Refused definitions: the kinds cannot be trusted, so nothing should be validated. */
  problems: string[];
}

export function formatSourceProblem(problem: KindRegistrationProblem): string {
  return `${problem.where}: ${problem.path === '' ? '' : `${problem.path}: `}${problem.message}`;
}

/** A definition in normal form (apiVersion a list, relations present) as JSON, for comparison. */
const stable = (value: unknown): string => JSON.stringify(checkKindDefinition(value).definition ?? value);

/**
 * Registers the custom kinds of `sources` over the built-in ones. The first source that defines a
 * kind (in any case) wins, as `catalog.kinds` wins over a stored runtime kind in the catalog; a
 * different definition of it in a later source is left out with a note. Within one source a kind
 * defined twice is a problem, like a bad definition.
 */
export function mergeKindSources(sources: readonly KindSource[]): MergedKinds {
  const kinds = new KindRegistry();
  const customKinds: CustomKindOrigin[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  const taken = new Map<string, { where: string; definition: unknown }>();
  for (const source of sources) {
    const entries = source.entries.filter(({ where, definition }) => {
      const name = kindNameOf(definition);
      const first = name === undefined ? undefined : taken.get(name.toLowerCase());
      if (first === undefined) return true;
      if (stable(first.definition) !== stable(definition)) {
        notes.push(`kind "${name}" of ${where} is left out: ${first.where} defines it`);
      }
      return false;
    });
    const refused = registerKindDefinitions(kinds, entries);
    problems.push(...refused.map((problem) => (source.formatProblem ?? formatSourceProblem)(problem)));
    const refusedAt = new Set(refused.map((problem) => problem.where));
    for (const entry of entries) {
      const name = kindNameOf(entry.definition);
      if (name === undefined || refusedAt.has(entry.where) || taken.has(name.toLowerCase())) continue;
      taken.set(name.toLowerCase(), entry);
      customKinds.push({ kind: name, source: entry.where });
    }
  }
  return { kinds, customKinds, notes, problems };
}
