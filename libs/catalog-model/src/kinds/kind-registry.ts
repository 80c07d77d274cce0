// The kinds a catalog accepts: the built-in ones plus kinds registered at runtime.
import { type ValidationProblem } from '../validation/problem.js';
import type { SchemaValidator } from '../validation/schema-validator.js';
import { BUILTIN_KINDS } from './builtin-kinds.js';
import { checkKindDefinition, type NormalizedKindDefinition } from './kind-definition-check.js';

/** A kind definition refused by the registry: invalid (`conflict` false) or clashing with another kind. */
export class KindDefinitionError extends Error {
  constructor(
    message: string,
    readonly problems: ValidationProblem[],
    readonly conflict = false,
  ) {
    super(
      problems.length > 0
        ? `${message}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`
        : message,
    );
    this.name = 'KindDefinitionError';
  }
}

/** A kind the registry holds, with its spec schema compiled. */
export interface RegisteredKind {
  readonly definition: NormalizedKindDefinition;
  readonly builtin: boolean;
  /** Problems of `spec` against the kind's schema, with paths under `spec`. */
  validateSpec(spec: unknown): ValidationProblem[];
}

function compile(input: unknown, builtin: boolean): RegisteredKind {
  const { definition, validateSpec, problems } = checkKindDefinition(input);
  if (!definition || !validateSpec) throw new KindDefinitionError('Invalid kind definition', problems);
  const check: SchemaValidator = validateSpec;
  return { definition, builtin, validateSpec: (spec) => check(spec, 'spec') };
}

let builtins: RegisteredKind[] | undefined;

/** The built-in kinds, compiled once and shared by every registry. */
function builtinKinds(): RegisteredKind[] {
  builtins ??= BUILTIN_KINDS.map((definition) => compile(definition, true));
  return builtins;
}

export interface KindRegistryOptions {
  /** Whether to start with the built-in kinds; default true. */
  builtins?: boolean;
}

export class KindRegistry {
  // Keyed by lowercase kind: refs compare kinds case-insensitively, so two kinds may not differ only in case.
  private readonly kinds = new Map<string, RegisteredKind>();

  constructor(options: KindRegistryOptions = {}) {
    if (options.builtins ?? true) {
      for (const kind of builtinKinds()) this.kinds.set(kind.definition.kind.toLowerCase(), kind);
    }
  }

  /**
   * Validates, compiles and adds a custom kind, replacing an earlier definition of the same kind.
   * Throws KindDefinitionError when the definition is invalid or its name clashes with a built-in
   * kind or with a custom kind spelled differently.
   */
  register(input: unknown): RegisteredKind {
    const kind = this.check(input);
    this.kinds.set(kind.definition.kind.toLowerCase(), kind);
    return kind;
  }

  /**
   * Validates and compiles a custom kind exactly as `register` does, and throws the same
   * KindDefinitionError, but leaves the registry unchanged: for callers that must store a
   * definition elsewhere (a database) before it takes effect.
   */
  check(input: unknown): RegisteredKind {
    const kind = compile(input, false);
    const name = kind.definition.kind;
    const existing = this.kinds.get(name.toLowerCase());
    if (existing?.builtin) {
      throw new KindDefinitionError(
        `Kind "${name}" clashes with the built-in kind "${existing.definition.kind}"`,
        [],
        true,
      );
    }
    if (existing && existing.definition.kind !== name) {
      throw new KindDefinitionError(
        `Kind "${name}" clashes with the kind "${existing.definition.kind}"`,
        [],
        true,
      );
    }
    return kind;
  }

  /** Removes a custom kind (any case); false when there is none. Built-in kinds cannot be removed. */
  unregister(kind: string): boolean {
    const existing = this.find(kind);
    if (!existing) return false;
    if (existing.builtin) {
      throw new KindDefinitionError(
        `Kind "${existing.definition.kind}" is built in and cannot be removed`,
        [],
        true,
      );
    }
    return this.kinds.delete(kind.toLowerCase());
  }

  /** The kind spelled exactly `kind`, as an entity's `kind` field must spell it. */
  get(kind: string): RegisteredKind | undefined {
    const found = this.find(kind);
    return found?.definition.kind === kind ? found : undefined;
  }

  /** The kind named `kind` in any case, as refs and URLs name it. */
  find(kind: string): RegisteredKind | undefined {
    return this.kinds.get(kind.toLowerCase());
  }

  /** Every kind, built-in ones first, then in registration order. */
  list(): RegisteredKind[] {
    return [...this.kinds.values()];
  }
}
