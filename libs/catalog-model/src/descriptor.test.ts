import { DescriptorError, parseDescriptors } from './descriptor.js';

const component = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

describe('parseDescriptors', () => {
  it('reads one entity per document', () => {
    const text = `${component}---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n`;
    const documents = parseDescriptors(text);
    expect(documents).toEqual([
      { index: 0, entity: expect.objectContaining({ kind: 'Component', metadata: { name: 'checkout' } }) },
      { index: 1, entity: expect.objectContaining({ kind: 'Group' }) },
    ]);
  });

  it('skips empty documents but keeps counting them', () => {
    const documents = parseDescriptors(`---\n---\n# only a comment\n---\n${component}---\n~\n---\nnull\n`);
    expect(documents.map((d) => d.index)).toEqual([2]);
    expect(parseDescriptors('')).toEqual([]);
    expect(parseDescriptors('# nothing here\n')).toEqual([]);
  });

  it('reports documents that are not objects, and keeps reading the others', () => {
    const documents = parseDescriptors(`- a\n- b\n---\njust text\n---\n42\n---\ntrue\n---\n${component}`);
    expect(documents).toEqual([
      { index: 0, error: 'Expected an object at the document root, found an array' },
      { index: 1, error: 'Expected an object at the document root, found a string' },
      { index: 2, error: 'Expected an object at the document root, found a number' },
      { index: 3, error: 'Expected an object at the document root, found a boolean' },
      { index: 4, entity: expect.objectContaining({ kind: 'Component' }) },
    ]);
  });

  it('reports YAML syntax errors with their position, per document', () => {
    const documents = parseDescriptors(`${component}---\nmetadata: {name: [unclosed\n---\n${component}`);
    expect(documents[0]).toEqual({ index: 0, entity: expect.any(Object) });
    expect(documents[1]).toEqual({
      index: 1,
      error: expect.stringMatching(/^YAML error: .*line \d+, column \d+$/),
    });
    expect(documents[2]).toEqual({ index: 2, entity: expect.any(Object) });
  });

  it('refuses duplicate keys', () => {
    const [document] = parseDescriptors('kind: Component\nkind: API\n');
    expect(document).toEqual({ index: 0, error: expect.stringMatching(/Map keys must be unique/) });
  });

  it('refuses alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const [document] = parseDescriptors(`${bomb}\n---\n${component}`);
    expect(document).toEqual({ index: 0, error: expect.stringMatching(/resource exhaustion/) });
  });

  it('expands a few aliases, up to the limit given', () => {
    const text = 'base: &base {owner: team-a}\nspec: *base\nother: *base\n';
    expect(parseDescriptors(text)).toEqual([
      {
        index: 0,
        entity: { base: { owner: 'team-a' }, spec: { owner: 'team-a' }, other: { owner: 'team-a' } },
      },
    ]);
    const many = `x: &x 1\nlist: [${Array.from({ length: 20 }, () => '*x').join(', ')}]\n`;
    expect(parseDescriptors(many, { maxAliases: 10 })[0]).toHaveProperty('error');
  });

  it('keeps merge keys as plain keys, as Backstage does by default', () => {
    const [document] = parseDescriptors('base: &b {a: 1}\nspec:\n  <<: *b\n  c: 2\n');
    expect(document).toEqual({ index: 0, entity: { base: { a: 1 }, spec: { '<<': { a: 1 }, c: 2 } } });
  });

  it('keeps __proto__ as an own key without touching prototypes', () => {
    const [document] = parseDescriptors('__proto__: {polluted: true}\nkind: Component\n');
    if (!('entity' in document)) throw new Error(document.error);
    expect(Object.keys(document.entity)).toEqual(['__proto__', 'kind']);
    expect(Object.getPrototypeOf(document.entity)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a text over the size limit, counting UTF-8 bytes', () => {
    expect(() => parseDescriptors('a: b\n'.repeat(100), { maxBytes: 100 })).toThrow(DescriptorError);
    expect(parseDescriptors('name: ñ\n', { maxBytes: 9 })).toHaveLength(1);
    expect(() => parseDescriptors('name: ñ\n', { maxBytes: 8 })).toThrow(/larger than 8 bytes/);
    expect(() => parseDescriptors('name: 🙂\n', { maxBytes: 10 })).toThrow(/larger than 10 bytes/);
    expect(parseDescriptors('name: 🙂\n', { maxBytes: 11 })).toHaveLength(1);
  });

  it('refuses more documents than allowed', () => {
    const text = Array.from({ length: 5 }, (_, i) => `n: ${i}`).join('\n---\n');
    expect(parseDescriptors(text, { maxDocuments: 5 })).toHaveLength(5);
    expect(() => parseDescriptors(text, { maxDocuments: 4 })).toThrow(
      'Descriptor has 5 documents, more than the 4 allowed',
    );
  });

  it('reports deeply nested input as an error of its document', () => {
    const depth = 20_000;
    const documents = parseDescriptors(`${'['.repeat(depth)}${']'.repeat(depth)}\n---\n${component}`);
    expect(documents).toEqual([
      { index: 0, error: expect.stringMatching(/^YAML error: /) },
      { index: 1, entity: expect.objectContaining({ kind: 'Component' }) },
    ]);
    expect(parseDescriptors(`a: ${'['.repeat(50)}1${']'.repeat(50)}\n`)).toHaveLength(1);
  });
});
