import { chmodSync } from 'node:fs';
import { KindRegistry } from '@portal/catalog-model';
import { ALIAS_BOMB, BAD_YAML, INVALID_FIELD, TempDir, VALID } from '../testing/fixtures.js';
import { validateDescriptorFiles } from './validate-files.js';

describe('validateDescriptorFiles', () => {
  const dir = new TempDir();
  const kinds = new KindRegistry();
  const file = (name: string, text?: string) => ({
    display: name,
    absolute: text === undefined ? `${dir.path}/${name}` : dir.write(name, text),
  });
  afterAll(() => dir.remove());

  it('counts the entities of a valid file and finds no problem', () => {
    expect(validateDescriptorFiles([file('valid.yaml', VALID)], kinds)).toEqual([
      { path: 'valid.yaml', entities: 2, problems: [] },
    ]);
  });

  it('gives each problem its document, entity ref and field', () => {
    const [report] = validateDescriptorFiles([file('invalid.yaml', INVALID_FIELD)], kinds);
    expect(report?.problems).toEqual([
      { document: 1, entityRef: 'Component:default/checkout', path: 'spec.owner', message: 'must be string' },
    ]);
  });

  it('leaves out the ref of an entity without kind or name, and the path of a problem with the whole entity', () => {
    const [report] = validateDescriptorFiles(
      [
        file(
          'anonymous.yaml',
          'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {}\nspec: {type: team, children: []}\n---\n- a\n',
        ),
      ],
      kinds,
    );
    expect(report?.entities).toBe(1);
    expect(report?.problems).toEqual([
      { document: 1, path: 'metadata.name', message: expect.any(String) },
      { document: 2, message: 'Expected an object at the document root, found an array' },
    ]);
  });

  it('keeps the namespace of a ref as written', () => {
    const text = INVALID_FIELD.replace('name: checkout', 'name: checkout\n  namespace: Shop');
    const [report] = validateDescriptorFiles([file('namespaced.yaml', text)], kinds);
    expect(report?.problems[0]?.entityRef).toBe('Component:Shop/checkout');
  });

  it('reports YAML errors and alias bombs per document', () => {
    const [bad, bomb] = validateDescriptorFiles(
      [file('bad.yaml', BAD_YAML), file('bomb.yaml', ALIAS_BOMB)],
      kinds,
    );
    expect(bad).toMatchObject({
      entities: 2,
      problems: [{ document: 2, message: expect.stringMatching(/^YAML error/) }],
    });
    expect(bomb).toMatchObject({
      entities: 0,
      problems: [{ document: 1, message: expect.stringContaining('Excessive alias count') }],
    });
  });

  it('reports a file refused as a whole without a document', () => {
    const documents = Array.from({ length: 10_001 }, () => 'a: 1').join('\n---\n');
    const [report] = validateDescriptorFiles([file('many.yaml', documents)], kinds);
    expect(report?.problems).toEqual([{ message: expect.stringContaining('more than the 10000 allowed') }]);
  });

  it('reports a file that cannot be read', () => {
    const [missing] = validateDescriptorFiles([file('gone.yaml')], kinds);
    expect(missing?.problems).toEqual([{ message: 'could not be read (ENOENT)' }]);
    if (process.getuid?.() === 0) return; // root reads any file
    const locked = file('locked.yaml', VALID);
    chmodSync(locked.absolute, 0o000);
    expect(validateDescriptorFiles([locked], kinds)[0]?.problems).toEqual([
      { message: 'could not be read (EACCES)' },
    ]);
  });

  it('reports the second definition of an entity, in any case, with where the first is', () => {
    const reports = validateDescriptorFiles(
      [file('first.yaml', VALID), file('second.yaml', VALID.replace('name: web', 'name: WEB'))],
      kinds,
    );
    expect(reports[0]?.problems).toEqual([]);
    expect(reports[1]?.problems).toEqual([
      {
        document: 1,
        entityRef: 'Group:default/team-a',
        path: 'metadata.name',
        message: 'the same entity is already defined in first.yaml document #1',
      },
      {
        document: 2,
        entityRef: 'Component:default/WEB',
        path: 'metadata.name',
        message: 'the same entity is already defined in first.yaml document #2',
      },
    ]);
  });
});
