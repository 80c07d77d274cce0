import type { Entity } from '@portal/catalog-model';
import type { ProcessingResult } from './types.js';
import { resultHashOf } from './result-hash.js';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'a' },
  spec: { owner: 'x' },
};
const base: Extract<ProcessingResult, { ok: true }> = {
  ok: true,
  entity,
  relations: [
    { source: 'component:default/a', type: 'ownedBy', target: 'group:default/x' },
    { source: 'group:default/x', type: 'ownerOf', target: 'component:default/a' },
  ],
  children: [
    { entity, entityRef: 'component:default/c1', locationKey: 'file:/a.yaml', hash: 'h1' },
    { entity, entityRef: 'component:default/c2', locationKey: 'file:/a.yaml', hash: 'h2' },
  ],
  keptLocationKeys: ['file:/b.yaml', 'file:/c.yaml'],
  errors: [],
};

describe('resultHashOf', () => {
  it('ignores the order of relations, children and kept keys', () => {
    const shuffled: ProcessingResult = {
      ...base,
      relations: [...base.relations].reverse(),
      children: [...base.children].reverse(),
      keptLocationKeys: ['file:/c.yaml', 'file:/b.yaml'],
    };
    expect(resultHashOf(shuffled)).toBe(resultHashOf(base));
  });

  it('changes with the entity, a relation, a child hash or owner key, the kept keys and the errors', () => {
    const hash = resultHashOf(base);
    const variants: ProcessingResult[] = [
      { ...base, entity: { ...entity, spec: { owner: 'y' } } },
      { ...base, relations: [] },
      { ...base, children: [{ ...base.children[0]!, hash: 'other' }, base.children[1]!] },
      { ...base, children: base.children.map((c) => ({ ...c, locationKey: 'file:/z.yaml' })) },
      { ...base, keptLocationKeys: [] },
      { ...base, errors: [{ name: 'E', message: 'm' }] },
    ];
    for (const variant of variants) expect(resultHashOf(variant)).not.toBe(hash);
  });

  it('hashes a failed result by its errors alone', () => {
    const failed: ProcessingResult = { ok: false, errors: [{ name: 'InputError', message: 'bad' }] };
    expect(resultHashOf(failed)).toBe(
      resultHashOf({ ok: false, errors: [{ name: 'InputError', message: 'bad' }] }),
    );
    expect(resultHashOf(failed)).not.toBe(
      resultHashOf({ ok: false, errors: [{ name: 'InputError', message: 'worse' }] }),
    );
  });
});
