import { TempDir } from '../../testing/fixtures.js';
import { customKindsOfList, readKindsFiles } from './kinds-files.js';

const widget = { apiVersion: ['acme.io/v1'], kind: 'Widget', specSchema: { type: 'object' }, relations: [] };

describe('customKindsOfList', () => {
  it('takes the config and api kinds of a GET /api/catalog/kinds answer, not the built-in ones', () => {
    const answer = {
      items: [
        { origin: 'builtin', definition: { kind: 'Component' } },
        { origin: 'config', definition: { ...widget, kind: 'Gadget' } },
        { origin: 'api', definition: widget, createdAt: '2026-01-01T00:00:00.000Z' },
      ],
    };
    expect(customKindsOfList(answer, 'here')).toEqual([
      { where: 'here items[1] (Gadget)', definition: { ...widget, kind: 'Gadget' } },
      { where: 'here items[2] (Widget)', definition: widget },
    ]);
  });

  it('is undefined for anything else', () => {
    expect(customKindsOfList(widget, 'here')).toBeUndefined();
    expect(customKindsOfList({ items: [1] }, 'here')).toBeUndefined();
    expect(customKindsOfList(null, 'here')).toBeUndefined();
  });
});

describe('readKindsFiles', () => {
  const dir = new TempDir();
  afterAll(() => dir.remove());

  it('reads one definition per document, and the custom kinds of a saved kinds answer', () => {
    dir.write(
      'kinds.yaml',
      `kind: Widget\napiVersion: acme.io/v1\nspecSchema: {type: object}\n---\n---\nkind: Gadget\n`,
    );
    dir.write(
      'saved.json',
      JSON.stringify({ items: [{ origin: 'api', definition: { ...widget, kind: 'Sprocket' } }] }),
    );
    const source = readKindsFiles(['kinds.yaml', `${dir.path}/saved.json`], dir.path);
    expect(source.label).toBe(`--kinds kinds.yaml, ${dir.path}/saved.json`);
    expect(source.entries.map((entry) => entry.where)).toEqual([
      'kinds.yaml document #1',
      'kinds.yaml document #3',
      `${dir.path}/saved.json document #1 items[0] (Sprocket)`,
    ]);
  });

  it('names every file that cannot be read and every document that is not YAML or not an object', () => {
    dir.write('broken.yaml', 'kind: [unclosed\n---\n- a list\n');
    expect(() => readKindsFiles(['missing.yaml', 'broken.yaml'], dir.path)).toThrow(
      expect.objectContaining({
        heading: 'the kind files are not usable',
        details: [
          'missing.yaml: could not be read (ENOENT)',
          expect.stringMatching(/^broken\.yaml document #1: YAML error: /),
          'broken.yaml document #2: Expected an object at the document root, found an array',
        ],
      }),
    );
  });

  it('refuses a file over the descriptor limits as a whole', () => {
    dir.write('many.yaml', Array.from({ length: 10_001 }, () => 'a: 1').join('\n---\n'));
    expect(() => readKindsFiles(['many.yaml'], dir.path)).toThrow(
      expect.objectContaining({
        details: [expect.stringMatching(/^many\.yaml: the file has 10001 documents/)],
      }),
    );
  });
});
