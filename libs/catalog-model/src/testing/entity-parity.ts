// Test support: builds entity variants and compares our verdict on them with Backstage's.
// Not part of the library build.
import { KindRegistry } from '../kinds/kind-registry.js';
import { validateEntity } from '../validation/validate-entity.js';
import { backstageAccepts } from './backstage-oracle.js';

/** Values of every JSON type, for putting in a field. */
export const fieldValues: unknown[] = [
  null,
  0,
  true,
  '',
  ' ',
  'x',
  'component:x',
  'component:ns/x',
  [],
  ['x'],
  ['component:x'],
  ['x', 'y'],
  [''],
  [1],
  [null],
  {},
  { a: 1 },
];

/** The base spec, then one variant per field and value, one per field removed, and a few whole specs. */
export function specVariants(base: Record<string, unknown>, fields: string[]): unknown[] {
  const variants: unknown[] = [base, {}, { ...base, extra: { anything: [1, 'two'] } }];
  for (const field of fields) {
    const without = { ...base };
    delete without[field];
    variants.push(without);
    for (const value of fieldValues) variants.push({ ...base, [field]: value });
  }
  return variants;
}

export interface Verdicts {
  entity: unknown;
  ours: boolean;
  theirs: boolean;
  problems: string[];
}

const registry = new KindRegistry();

/** Our verdict and Backstage's on each entity, as it would arrive: JSON (undefined values dropped). */
export async function verdicts(entities: unknown[]): Promise<Verdicts[]> {
  return Promise.all(
    entities.map(async (input) => {
      const entity: unknown = input === undefined ? undefined : JSON.parse(JSON.stringify(input));
      const problems = validateEntity(entity, registry).map((p) => `${p.path}: ${p.message}`);
      return { entity, ours: problems.length === 0, theirs: await backstageAccepts(entity), problems };
    }),
  );
}

export interface ParityReport {
  /** The entities on which we and Backstage disagree. */
  disagreements: Verdicts[];
  /** How many entities Backstage accepts and refuses: a corpus needs both to prove anything. */
  accepted: number;
  refused: number;
}

export async function parity(entities: unknown[]): Promise<ParityReport> {
  const all = await verdicts(entities);
  return {
    disagreements: all.filter((v) => v.ours !== v.theirs),
    accepted: all.filter((v) => v.theirs).length,
    refused: all.filter((v) => !v.theirs).length,
  };
}

/** Fails unless we agree with Backstage on every entity and the corpus holds accepted and refused ones. */
export async function expectParity(entities: unknown[]): Promise<void> {
  const report = await parity(entities);
  expect(report.disagreements).toEqual([]);
  expect(report.accepted).toBeGreaterThan(0);
  expect(report.refused).toBeGreaterThan(0);
}

/** An entity of `kind` with `spec` (left out when undefined). */
export function entityOf(
  kind: string,
  spec: unknown,
  apiVersion = 'backstage.io/v1alpha1',
): Record<string, unknown> {
  const entity: Record<string, unknown> = {
    apiVersion,
    kind,
    metadata: { name: 'sample', namespace: 'team-a' },
  };
  if (spec !== undefined) entity.spec = spec;
  return entity;
}

/** Entity variants of one built-in kind: spec variants, apiVersions, and a missing or malformed spec. */
export function kindVariants(kind: string, base: Record<string, unknown>, fields: string[]): unknown[] {
  return [
    ...specVariants(base, fields).map((spec) => entityOf(kind, spec)),
    ...['backstage.io/v1beta1', 'backstage.io/v1', 'v1alpha1', 'example.com/v1alpha1'].map((apiVersion) =>
      entityOf(kind, base, apiVersion),
    ),
    entityOf(kind, undefined),
    entityOf(kind, null),
    entityOf(kind, []),
    entityOf(kind, 'spec'),
    entityOf(kind.toLowerCase(), base),
  ];
}
