/**
 * The example organisation (`examples/`, registered by `npm start`) is valid for the catalog model,
 * every Location target exists, and every relation points at an entity of the example itself.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  KindRegistry,
  parseDescriptors,
  relationsOf,
  stringifyEntityRef,
  validateEntity,
  type Entity,
} from '@portal/catalog-model';
import { repoRoot } from '../support/portal-process.js';

const examples = join(repoRoot, 'examples');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('the example organisation', () => {
  const kinds = new KindRegistry();
  const entities = new Map<string, { entity: Entity; file: string }>();

  beforeAll(() => {
    for (const file of yamlFiles(examples)) {
      for (const doc of parseDescriptors(readFileSync(file, 'utf8'))) {
        if ('error' in doc) throw new Error(`${file} document ${doc.index}: ${String(doc.error)}`);
        const entity = doc.entity as Entity;
        entities.set(stringifyEntityRef(entity).toLowerCase(), { entity, file });
      }
    }
  });

  it('holds a realistic organisation of every built-in kind', () => {
    const byKind = new Map<string, number>();
    for (const { entity } of entities.values()) byKind.set(entity.kind, (byKind.get(entity.kind) ?? 0) + 1);
    for (const kind of [
      'Group',
      'User',
      'Domain',
      'System',
      'Component',
      'API',
      'Resource',
      'Template',
      'Location',
    ]) {
      expect(byKind.get(kind) ?? 0).toBeGreaterThan(0);
    }
    expect(entities.size).toBeGreaterThanOrEqual(35);
  });

  it('is valid, entity by entity', () => {
    const problems = [...entities.values()].flatMap(({ entity, file }) =>
      validateEntity(entity, kinds).map(
        (p) => `${file} ${stringifyEntityRef(entity)} ${p.path}: ${p.message}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('has every Location target on disk', () => {
    for (const { entity, file } of entities.values()) {
      if (entity.kind !== 'Location') continue;
      const spec = entity.spec as { target?: string; targets?: string[] };
      for (const target of [...(spec.targets ?? []), ...(spec.target ? [spec.target] : [])]) {
        expect(statSync(resolve(dirname(file), target)).isFile()).toBe(true);
      }
    }
  });

  it('has no relation that points outside the example', () => {
    const dangling = [...entities.values()].flatMap(({ entity }) => {
      const { forward, inverse } = relationsOf(entity, kinds);
      return [...forward, ...inverse]
        .flatMap((r) => [r.source, r.target])
        .filter((ref) => !entities.has(ref))
        .map((ref) => `${stringifyEntityRef(entity)} → ${ref}`);
    });
    expect(dangling).toEqual([]);
  });
});
