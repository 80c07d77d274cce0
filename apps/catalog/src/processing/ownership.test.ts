import type { ProcessingResult } from './types.js';
import { mayWrite, withoutConflicts } from './ownership.js';

const parent = { sourceEntityRef: 'location:default/p' };

describe('mayWrite', () => {
  it('lets the first emitter own a ref by its key', () => {
    expect(mayWrite(undefined, { ...parent, locationKey: 'file:/a.yaml' })).toBe(true);
    expect(
      mayWrite(
        { locationKey: null, references: [{ sourceKey: 'x', sourceEntityRef: null }] },
        { ...parent, locationKey: 'file:/a.yaml' },
      ),
    ).toBe(true);
    const owned = {
      locationKey: 'file:/a.yaml',
      references: [{ sourceKey: null, sourceEntityRef: 'location:default/other' }],
    };
    expect(mayWrite(owned, { ...parent, locationKey: 'file:/a.yaml' })).toBe(true);
    expect(mayWrite(owned, { ...parent, locationKey: 'file:/b.yaml' })).toBe(false);
    expect(mayWrite(owned, { ...parent, locationKey: null })).toBe(false);
    expect(mayWrite(owned, { sourceKey: 'push:x', locationKey: 'push:x' })).toBe(false);
  });

  it('adopts an orphan, and lets the only emitter move an entity to another key', () => {
    expect(
      mayWrite({ locationKey: 'file:/a.yaml', references: [] }, { ...parent, locationKey: 'file:/b.yaml' }),
    ).toBe(true);
    const mine = {
      locationKey: 'file:/a.yaml',
      references: [{ sourceKey: null, sourceEntityRef: 'location:default/p' }],
    };
    expect(mayWrite(mine, { ...parent, locationKey: 'file:/b.yaml' })).toBe(true);
    const provider = { locationKey: 'k1', references: [{ sourceKey: 'push:x', sourceEntityRef: null }] };
    expect(mayWrite(provider, { sourceKey: 'push:x', locationKey: 'k2' })).toBe(true);
    expect(mayWrite(provider, { sourceKey: 'push:y', locationKey: 'k2' })).toBe(false);
  });
});

describe('withoutConflicts', () => {
  const child = (ref: string, key: string) => ({
    entity: { apiVersion: 'v1', kind: 'Component', metadata: { name: ref } },
    entityRef: ref,
    locationKey: key,
    hash: 'h',
  });
  const result: ProcessingResult = {
    ok: true,
    entity: { apiVersion: 'v1', kind: 'Location', metadata: { name: 'p' } },
    relations: [],
    children: [
      child('component:default/mine', 'file:/a.yaml'),
      child('component:default/theirs', 'file:/a.yaml'),
    ],
    keptLocationKeys: [],
    errors: [],
  };

  it('drops children another emitter owns and reports each as a ConflictError', () => {
    const owners = new Map([
      [
        'component:default/theirs',
        {
          locationKey: 'file:/other.yaml',
          references: [{ sourceKey: null, sourceEntityRef: 'location:default/q' }],
        },
      ],
    ]);
    const checked = withoutConflicts(result, 'location:default/p', owners);
    expect(checked.ok && checked.children.map((c) => c.entityRef)).toEqual(['component:default/mine']);
    expect(checked.errors).toEqual([
      {
        name: 'ConflictError',
        message:
          'Entity component:default/theirs is already managed by file:/other.yaml; it is ignored from file:/a.yaml',
      },
    ]);
  });

  it('returns the result itself when nothing conflicts, and leaves failed results alone', () => {
    expect(withoutConflicts(result, 'location:default/p', new Map())).toBe(result);
    const failed: ProcessingResult = { ok: false, errors: [{ name: 'E', message: 'm' }] };
    expect(withoutConflicts(failed, 'x', new Map())).toBe(failed);
  });
});
