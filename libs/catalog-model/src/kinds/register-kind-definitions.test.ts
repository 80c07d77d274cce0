import { KindRegistry } from './kind-registry.js';
import {
  formatKeyProblem,
  kindNamesOfList,
  registerKindDefinitions,
  registerKindList,
  toConfigKeyPath,
} from './register-kind-definitions.js';

const widget = {
  apiVersion: 'acme.io/v1',
  kind: 'Widget',
  specSchema: { type: 'object', required: ['size'], properties: { size: { type: 'integer' } } },
  relations: [],
};

describe('toConfigKeyPath', () => {
  it.each([
    ['', ''],
    ['kind', 'kind'],
    ['relations.0.field', 'relations[0].field'],
    ['apiVersion.2', 'apiVersion[2]'],
  ])('turns %j into %j', (path, key) => {
    expect(toConfigKeyPath(path)).toBe(key);
  });
});

describe('registerKindDefinitions', () => {
  it('registers every good entry and reports each bad key with where its entry is', () => {
    const kinds = new KindRegistry();
    const problems = registerKindDefinitions(kinds, [
      { where: 'a.yaml document #1', definition: widget },
      {
        where: 'a.yaml document #2',
        definition: { ...widget, kind: 'Gadget', relations: [{ field: 'owner', type: 'x', inverse: 'y' }] },
      },
      { where: 'a.yaml document #3', definition: { ...widget, kind: 'Sprocket' } },
    ]);
    expect(problems).toEqual([
      {
        where: 'a.yaml document #2',
        path: 'relations[0].field',
        message: expect.stringMatching(/^must match pattern/),
      },
    ]);
    expect(kinds.get('Widget')).toBeDefined();
    expect(kinds.get('Sprocket')).toBeDefined();
    expect(kinds.get('Gadget')).toBeUndefined();
  });

  it('refuses a kind named twice in any case, naming the first entry, and keeps the first', () => {
    const kinds = new KindRegistry();
    const problems = registerKindDefinitions(kinds, [
      { where: 'first', definition: widget },
      { where: 'second', definition: { ...widget, kind: 'WIDGET', specSchema: { type: 'object' } } },
    ]);
    expect(problems).toEqual([
      { where: 'second', path: 'kind', message: 'kind "WIDGET" is already defined at first' },
    ]);
    expect(kinds.get('Widget')?.definition.specSchema).toEqual(widget.specSchema);
  });

  it('reports a clash with a built-in kind without a key', () => {
    const problems = registerKindDefinitions(new KindRegistry(), [
      { where: 'x', definition: { ...widget, kind: 'Component' } },
    ]);
    expect(problems.map(formatKeyProblem)).toEqual([
      'x: Kind "Component" clashes with the built-in kind "Component"',
    ]);
  });
});

describe('registerKindList', () => {
  it('accepts an absent list and refuses one that is not a list', () => {
    expect(registerKindList(new KindRegistry(), undefined)).toEqual([]);
    expect(registerKindList(new KindRegistry(), { Widget: widget })).toEqual([
      'catalog.kinds: must be a list of kind definitions, found an object',
    ]);
  });

  it('names the config key of each problem', () => {
    const kinds = new KindRegistry();
    expect(
      registerKindList(kinds, [
        widget,
        { apiVersion: 'acme.io/v1', kind: 'Thing' },
        { ...widget, kind: 'widget' },
      ]),
    ).toEqual([
      'catalog.kinds[1].specSchema: is required',
      'catalog.kinds[2].kind: kind "widget" is already defined at catalog.kinds[0]',
    ]);
    expect(kinds.get('Widget')).toBeDefined();
  });
});

describe('kindNamesOfList', () => {
  it('gives the lowercase kinds the entries name', () => {
    expect([...kindNamesOfList([widget, { kind: 'GADGET' }, { kind: 3 }, null])]).toEqual([
      'widget',
      'gadget',
    ]);
    expect(kindNamesOfList(undefined).size).toBe(0);
  });
});
