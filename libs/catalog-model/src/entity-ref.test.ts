import * as backstage from '@backstage/catalog-model';
import type { Entity } from './entity.js';
import {
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
  toCanonicalRef,
  type EntityRefContext,
} from './entity-ref.js';

type Outcome = { value: unknown } | { error: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    const e = error as Error;
    return { error: `${e.constructor.name}: ${e.message}` };
  }
}

const refStrings = [
  'foo',
  'Foo',
  'component:foo',
  'Component:Foo',
  'component:ns/foo',
  'ns/foo',
  'API:Default/Petstore',
  'group:team-a',
  'user:default/jdoe',
  'a:b:c',
  'a:b/c',
  'a/b:c',
  'a/b/c',
  'a:b/c/d',
  'a:b:c/d',
  '/foo',
  'foo/',
  ':foo',
  'foo:',
  'a:/b',
  'a:b/',
  ':/',
  ':',
  '/',
  '//',
  '::',
  'a::b',
  'a//b',
  ' foo',
  'foo ',
  'a : b',
  'kind:ns/name with spaces',
  'kind:ns/na:me',
  'k:n/',
  'component:default/foo.bar_baz-1',
  'Component:DEFAULT/X',
  'ÄPI:nämespace/ñame',
  'x'.repeat(300),
  `k:${'n'.repeat(100)}/${'m'.repeat(100)}`,
  'url:https://example.com/a/b',
  'location:default/generated-abc',
  'template:default/create-react-app',
  '\n',
  'a\n:b',
];

const contexts: Array<EntityRefContext | undefined> = [
  undefined,
  {},
  { defaultKind: 'Component' },
  { defaultNamespace: 'team' },
  { defaultKind: 'Group', defaultNamespace: 'Other-NS' },
  { defaultKind: '', defaultNamespace: '' },
];

const refObjects: Array<{ kind?: string; namespace?: string; name: string }> = [
  { kind: 'Component', namespace: 'default', name: 'foo' },
  { kind: 'Component', name: 'foo' },
  { namespace: 'ns', name: 'foo' },
  { name: 'foo' },
  { kind: '', namespace: 'ns', name: 'foo' },
  { kind: 'Component', namespace: '', name: 'foo' },
  { kind: 'Component', namespace: 'ns', name: '' },
  { kind: 'a:b', namespace: 'c/d', name: 'e' },
];

function label(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function withContexts<T>(refs: T[]): Array<readonly [string, string, T, EntityRefContext | undefined]> {
  return refs.flatMap((ref) =>
    contexts.map((context) => [label(ref), label(context), ref, context] as const),
  );
}

const cases = [...withContexts(refStrings), ...withContexts(refObjects)];

describe('parseEntityRef: parity with Backstage', () => {
  it.each(cases)('%s, context %s', (_ref, _context, ref, context) => {
    const ours = outcome(() => parseEntityRef(ref, context));
    const theirs = outcome(() => backstage.parseEntityRef(ref, context));
    expect(ours).toEqual(theirs);
  });

  it.each([[''], [null], [undefined], [0], [false]])('refuses the empty reference %j', (ref) => {
    const ours = outcome(() => parseEntityRef(ref as unknown as string));
    expect(ours).toEqual(outcome(() => backstage.parseEntityRef(ref as unknown as string)));
    expect(ours).toEqual({ error: 'Error: Entity reference must not be empty' });
  });
});

describe('parseEntityRef: our own cases', () => {
  it('reads the three parts and keeps their case', () => {
    expect(parseEntityRef('Component:Team-A/My.Service')).toEqual({
      kind: 'Component',
      namespace: 'Team-A',
      name: 'My.Service',
    });
  });

  it('takes a missing kind and namespace from the context', () => {
    expect(parseEntityRef('svc', { defaultKind: 'API', defaultNamespace: 'ns' })).toEqual({
      kind: 'API',
      namespace: 'ns',
      name: 'svc',
    });
  });

  it('says which part is missing', () => {
    expect(() => parseEntityRef('svc')).toThrow(/missing or empty kind/);
    expect(() => parseEntityRef(':svc')).toThrow(TypeError);
    expect(() => parseEntityRef({ kind: 'k', name: '' })).toThrow(/missing or empty name/);
  });

  it('refuses parts that are not strings, where Backstage would pass them through', () => {
    const ref = { kind: 'Component', name: 42 } as unknown as { name: string };
    expect(() => parseEntityRef(ref)).toThrow(/name that is not a string/);
    expect(backstage.parseEntityRef(ref)).toEqual({ kind: 'Component', namespace: 'default', name: 42 });
  });

  it('describes a circular reference object without crashing', () => {
    const ref: Record<string, unknown> = { name: 'x' };
    ref.self = ref;
    expect(() => parseEntityRef(ref as { name: string })).toThrow(/missing or empty kind/);
  });
});

const entities: Entity[] = [
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'Foo' } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'foo', namespace: 'NS' } },
  { apiVersion: 'backstage.io/v1alpha1', kind: 'API', metadata: { name: 'x', namespace: '' } },
  { apiVersion: 'v1', kind: 'CustomKind', metadata: { name: 'a.b_c-d' } },
];

const compoundRefs = [
  { kind: 'Component', namespace: 'default', name: 'foo' },
  { kind: 'COMPONENT', namespace: 'Team', name: 'Foo' },
  { kind: 'Group', name: 'team-a' },
  { kind: 'API', namespace: '', name: 'x' },
  { kind: 'ÄPI', namespace: 'NS', name: 'İstanbul' },
];

describe('stringifyEntityRef and getCompoundEntityRef: parity with Backstage', () => {
  it.each(compoundRefs.map((ref) => [label(ref), ref] as const))('parts %s', (_label, ref) => {
    expect(stringifyEntityRef(ref)).toBe(backstage.stringifyEntityRef(ref));
  });

  it.each(entities.map((entity) => [label(entity.metadata), entity] as const))(
    'entity %s',
    (_label, entity) => {
      expect(stringifyEntityRef(entity)).toBe(backstage.stringifyEntityRef(entity));
      expect(getCompoundEntityRef(entity)).toEqual(backstage.getCompoundEntityRef(entity));
    },
  );
});

describe('toCanonicalRef', () => {
  it.each(withContexts(refStrings))(
    '%s, context %s: as Backstage parses then stringifies',
    (_ref, _context, ref, context) => {
      const ours = outcome(() => toCanonicalRef(ref, context));
      const theirs = outcome(() => backstage.stringifyEntityRef(backstage.parseEntityRef(ref, context)));
      expect(ours).toEqual(theirs);
    },
  );

  it('lowercases every part and fills in the defaults', () => {
    expect(toCanonicalRef('Component:Team/Svc')).toBe('component:team/svc');
    expect(toCanonicalRef('Svc', { defaultKind: 'API' })).toBe('api:default/svc');
    expect(toCanonicalRef({ kind: 'User', name: 'JDoe' })).toBe('user:default/jdoe');
  });
});
