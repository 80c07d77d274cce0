import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDescriptors, type Entity } from '@portal/catalog-model';
import {
  catalogHash,
  LOCATION_FILE,
  MAX_FILE_BYTES,
  MAX_FILE_DOCUMENTS,
  oversizedFiles,
  renderCatalog,
  writeCatalog,
} from './catalog-files.js';
import { generateEntities } from './generate-entities.js';

function entitiesOf(text: string): Entity[] {
  return parseDescriptors(text).map((document) => {
    if ('error' in document) throw new Error(document.error);
    return document.entity as Entity;
  });
}

describe('renderCatalog', () => {
  const entities = generateEntities(2_000, 42);
  const files = renderCatalog(entities, { seed: 42, files: 10 });

  it('is byte-identical for a fixed seed and count (pinned hash)', () => {
    expect(catalogHash(renderCatalog(generateEntities(2_000, 42), { seed: 42, files: 10 }))).toBe(
      catalogHash(files),
    );
    // Pinned: update it when the generator changes on purpose, and say so in the commit.
    expect(catalogHash(files)).toBe('a76f39e88162cbb392ec624ee66ba634d86befed2fe3ee3c4c49c4e5e9a33682');
  });

  it('spreads the entities over the files, each mixing kinds, and lists them in the Location', () => {
    expect(files.map((file) => file.name)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `entities-${String(i + 1).padStart(3, '0')}.yaml`),
      LOCATION_FILE,
    ]);
    for (const file of files.slice(0, -1)) {
      expect(file.entities).toBe(200);
      expect(new Set(entitiesOf(file.text).map((entity) => entity.kind)).size).toBeGreaterThan(3);
    }
    const [location] = entitiesOf(files.at(-1)!.text);
    expect(location).toMatchObject({
      kind: 'Location',
      metadata: { name: 'bench-seed-42-count-2000' },
      spec: { targets: files.slice(0, -1).map((file) => `./${file.name}`) },
    });
  });

  it('reads back as the same entities, in order', () => {
    const read = files.slice(0, -1).map((file) => entitiesOf(file.text));
    const interleaved = entities.map((_, index) => read[index % 10]![Math.floor(index / 10)]);
    expect(interleaved).toEqual(entities);
  });

  it('never writes more files than entities', () => {
    expect(renderCatalog(entities.slice(0, 3), { seed: 1, files: 100 })).toHaveLength(4);
  });

  it('finds files the catalog would refuse', () => {
    expect(oversizedFiles(files)).toEqual([]);
    const tooLarge = { name: 'large.yaml', text: 'é'.repeat(MAX_FILE_BYTES / 2 + 1), entities: 1 };
    const tooMany = { name: 'many.yaml', text: '', entities: MAX_FILE_DOCUMENTS + 1 };
    const justRight = {
      name: 'fine.yaml',
      text: 'é'.repeat(MAX_FILE_BYTES / 2),
      entities: MAX_FILE_DOCUMENTS,
    };
    expect(oversizedFiles([tooLarge, tooMany, justRight])).toEqual([tooLarge, tooMany]);
  });
});

describe('writeCatalog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the files, replacing those of an earlier run and nothing else', () => {
    const entities = generateEntities(100, 3);
    writeCatalog(dir, renderCatalog(entities, { seed: 3, files: 5 }));
    writeFileSync(join(dir, 'notes.md'), 'mine');
    const files = renderCatalog(entities, { seed: 3, files: 2 });
    const bytes = writeCatalog(dir, files);
    expect(readdirSync(dir).sort()).toEqual([
      'catalog-info.yaml',
      'entities-001.yaml',
      'entities-002.yaml',
      'notes.md',
    ]);
    expect(readFileSync(join(dir, 'entities-002.yaml'), 'utf8')).toBe(files[1]!.text);
    expect(bytes).toBe(files.reduce((sum, file) => sum + Buffer.byteLength(file.text), 0));
    expect(existsSync(join(dir, 'notes.md'))).toBe(true);
  });
});
