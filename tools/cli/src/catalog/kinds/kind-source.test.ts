import { validateEntity } from '@portal/catalog-model';
import { formatSourceProblem, mergeKindSources } from './kind-source.js';

const definition = (kind: string, specSchema: Record<string, unknown> = { type: 'object' }) => ({
  apiVersion: 'acme.io/v1',
  kind,
  specSchema,
});
const entity = (kind: string, spec: Record<string, unknown>) => ({
  apiVersion: 'acme.io/v1',
  kind,
  metadata: { name: 'one' },
  spec,
});

describe('mergeKindSources', () => {
  it('takes each kind from the first source that defines it, in any case, and notes a different one', () => {
    const strict = definition('Widget', { type: 'object', required: ['size'] });
    const merged = mergeKindSources([
      { label: 'config', entries: [{ where: 'catalog.kinds[0]', definition: strict }] },
      {
        label: 'files',
        entries: [
          { where: 'k.yaml document #1', definition: definition('WIDGET') },
          { where: 'k.yaml document #2', definition: definition('Gadget') },
        ],
      },
      {
        label: 'catalog',
        entries: [
          // The same definition in normal form: no note.
          { where: 'catalog (Widget)', definition: { ...strict, apiVersion: ['acme.io/v1'], relations: [] } },
          { where: 'catalog (Sprocket)', definition: definition('Sprocket') },
        ],
      },
    ]);
    expect(merged.problems).toEqual([]);
    expect(merged.notes).toEqual([
      'kind "WIDGET" of k.yaml document #1 is left out: catalog.kinds[0] defines it',
    ]);
    expect(merged.customKinds).toEqual([
      { kind: 'Widget', source: 'catalog.kinds[0]' },
      { kind: 'Gadget', source: 'k.yaml document #2' },
      { kind: 'Sprocket', source: 'catalog (Sprocket)' },
    ]);
    expect(validateEntity(entity('Widget', {}), merged.kinds)).toEqual([
      { path: 'spec.size', message: 'is required' },
    ]);
    expect(validateEntity(entity('Sprocket', {}), merged.kinds)).toEqual([]);
  });

  it('reports a kind defined twice within one source and a bad definition, each with the source format', () => {
    const merged = mergeKindSources([
      {
        label: 'files',
        entries: [
          { where: 'a.yaml document #1', definition: definition('Gadget') },
          { where: 'b.yaml document #1', definition: definition('gadget') },
          { where: 'b.yaml document #2', definition: { kind: 'Thing' } },
        ],
      },
      {
        label: 'config',
        entries: [{ where: 'catalog.kinds[0]', definition: definition('Component') }],
        formatProblem: (problem) => `custom ${problem.where}: ${problem.message}`,
      },
    ]);
    expect(merged.problems).toEqual([
      'b.yaml document #1: kind: kind "gadget" is already defined at a.yaml document #1',
      'b.yaml document #2: apiVersion: is required',
      'b.yaml document #2: specSchema: is required',
      'custom catalog.kinds[0]: Kind "Component" clashes with the built-in kind "Component"',
    ]);
    expect(merged.customKinds).toEqual([{ kind: 'Gadget', source: 'a.yaml document #1' }]);
  });

  it('formats a problem without a key as where and message', () => {
    expect(formatSourceProblem({ where: 'x', path: '', message: 'bad' })).toBe('x: bad');
  });
});
