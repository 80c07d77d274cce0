import type { Entity } from '@portal/catalog-model';
import type { StitchInput } from './operations/load-stitch-inputs.js';
import { buildFinalForm, eventTypeFor, toStitchedEntity } from './stitch-entity.js';

const processed: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Checkout',
    etag: 'from-the-provider',
    annotations: { 'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml' },
  },
  spec: { type: 'service', owner: 'team' },
};

function input(overrides: Partial<StitchInput> = {}): StitchInput {
  return {
    entityId: '00000000-0000-4000-8000-0000000000aa',
    entityRef: 'component:default/checkout',
    processedEntity: processed,
    errors: null,
    referenced: true,
    emitter: 'location:default/root',
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
    previousHash: null,
    wasOrphan: false,
    ...overrides,
  };
}

describe('buildFinalForm', () => {
  it('adds uid, the default namespace and the relations, and drops any etag from the hash', () => {
    const form = buildFinalForm(input())!;
    expect(form.entity).toEqual({
      ...processed,
      metadata: {
        name: 'Checkout',
        namespace: 'default',
        uid: '00000000-0000-4000-8000-0000000000aa',
        annotations: { 'backstage.io/managed-by-location': 'file:/repo/catalog-info.yaml' },
      },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
    });
    expect(form.orphan).toBe(false);
    expect(form.hasErrors).toBe(false);
    expect(processed.metadata.etag).toBe('from-the-provider');
  });

  it('is not visible before a successful processing', () => {
    expect(buildFinalForm(input({ processedEntity: null }))).toBeUndefined();
  });

  it('turns errors into status items after any the entity has', () => {
    const withStatus = {
      ...processed,
      status: { items: [{ type: 'x', level: 'info' as const, message: 'hi' }] },
    };
    const form = buildFinalForm(
      input({
        processedEntity: withStatus,
        errors: [{ name: 'NotFoundError', message: 'Unable to read file:/a.yaml' }],
      }),
    )!;
    expect(form.entity.status).toEqual({
      items: [
        { type: 'x', level: 'info', message: 'hi' },
        {
          type: 'backstage.io/catalog-processing',
          level: 'error',
          message: 'NotFoundError: Unable to read file:/a.yaml',
          error: { name: 'NotFoundError', message: 'Unable to read file:/a.yaml' },
        },
      ],
    });
    expect(form.hasErrors).toBe(true);
  });

  it('marks an entity nothing emits as an orphan', () => {
    const form = buildFinalForm(input({ referenced: false }))!;
    expect(form.entity.metadata.annotations!['backstage.io/orphan']).toBe('true');
    expect(form.orphan).toBe(true);
  });

  it('replaces script view and edit urls', () => {
    const sneaky = {
      ...processed,
      metadata: {
        ...processed.metadata,
        annotations: {
          'backstage.io/view-url': ' \tjava\nscript:alert(1)',
          'backstage.io/edit-url': 'https://ok',
        },
      },
    };
    const form = buildFinalForm(input({ processedEntity: sneaky }))!;
    expect(form.entity.metadata.annotations).toEqual({
      'backstage.io/view-url': 'https://backstage.io/annotation-rejected-for-security-reasons',
      'backstage.io/edit-url': 'https://ok',
    });
  });

  it('hashes equal inputs equally and changed inputs differently', () => {
    const hash = buildFinalForm(input())!.hash;
    expect(buildFinalForm(input())!.hash).toBe(hash);
    expect(buildFinalForm(input({ relations: [] }))!.hash).not.toBe(hash);
    expect(buildFinalForm(input({ referenced: false }))!.hash).not.toBe(hash);
  });
});

describe('eventTypeFor', () => {
  it('says orphaned only when the entity just became one, error when it has errors', () => {
    const orphan = buildFinalForm(input({ referenced: false }))!;
    expect(eventTypeFor(orphan, false)).toBe('orphaned');
    expect(eventTypeFor(orphan, true)).toBe('upserted');
    expect(eventTypeFor(buildFinalForm(input({ errors: [{ name: 'E', message: 'm' }] }))!, false)).toBe(
      'error',
    );
    expect(eventTypeFor(buildFinalForm(input())!, false)).toBe('upserted');
  });
});

describe('toStitchedEntity', () => {
  it('gives a fresh etag each time, lowercase columns, the search view, and the event source', () => {
    const form = buildFinalForm(input())!;
    const a = toStitchedEntity(input(), form);
    const b = toStitchedEntity(input(), form);
    expect(a.finalEntity.metadata.etag).toMatch(/^[0-9a-f]{32}$/);
    expect(a.finalEntity.metadata.etag).not.toBe(b.finalEntity.metadata.etag);
    expect(a.hash).toBe(form.hash);
    expect([a.kind, a.namespace, a.name]).toEqual(['component', 'default', 'checkout']);
    expect(a.search['metadata.uid']).toEqual(['00000000-0000-4000-8000-0000000000aa']);
    expect(a.search['relations.ownedby']).toEqual(['group:default/team']);
    expect(a.searchOriginal['metadata.name']).toEqual({ checkout: 'Checkout' });
    expect(a.eventType).toBe('upserted');
    expect(a.eventSource).toBe('file:/repo/catalog-info.yaml');
    const pushed = { ...processed, metadata: { name: 'Checkout' } };
    expect(
      toStitchedEntity(
        input({ processedEntity: pushed }),
        buildFinalForm(input({ processedEntity: pushed }))!,
      ).eventSource,
    ).toBe('location:default/root');
  });
});
