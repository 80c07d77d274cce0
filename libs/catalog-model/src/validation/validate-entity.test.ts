import { CommonValidatorFunctions } from '@backstage/catalog-model';
import { KindRegistry } from '../kinds/kind-registry.js';
import { expectParity, fieldValues } from '../testing/entity-parity.js';
import { backstageAccepts } from '../testing/backstage-oracle.js';
import { fieldSamples, nonStrings } from '../testing/samples.js';
import { isValidEntity, validateEntity } from './validate-entity.js';

const kinds = new KindRegistry();

const base = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'shop' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

type Meta = Record<string, unknown>;
const withMeta = (metadata: Meta) => ({ ...base, metadata: { ...base.metadata, ...metadata } });
const withRoot = (root: Record<string, unknown>) => ({ ...base, ...root });

// Link URLs we refuse on purpose although Backstage takes them: they are tested apart below.
const scriptLike = /^\s*(java\s*script|data|vbscript):/i;
const urlSamples = fieldSamples.filter((url) => !scriptLike.test(url));
const anyValues = [...fieldSamples.slice(0, 40), ...nonStrings];

const corpus: unknown[] = [
  base,
  // The root.
  ...['apiVersion', 'kind', 'metadata', 'spec'].map((field) => {
    const copy: Record<string, unknown> = { ...base };
    delete copy[field];
    return copy;
  }),
  ...[{ extra: 1 }, { Kind: 'Component' }, { spec: null }, { spec: [] }, { spec: 'x' }].map(withRoot),
  ...fieldSamples.map((apiVersion) => withRoot({ apiVersion })),
  ...nonStrings.map((apiVersion) => withRoot({ apiVersion })),
  ...fieldSamples.map((kind) => withRoot({ kind })),
  ...nonStrings.map((kind) => withRoot({ kind })),
  ...[null, [], 'metadata', 1].map((metadata) => withRoot({ metadata })),
  // Relations and status, as the catalog writes them back.
  ...[
    [],
    [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
    [{ type: 'owned-by', targetRef: 'group:default/team-a' }],
    [{ type: '', targetRef: 'group:default/team-a' }],
    [{ type: 'ownedBy', targetRef: '' }],
    [{ type: 'ownedBy' }],
    [{ type: 'ownedBy', targetRef: 'g:d/t', target: { kind: 'g', namespace: 'd', name: 't' } }],
    [{ type: 'ownedBy', targetRef: 'g:d/t', target: { kind: 'g', name: 't' } }],
    [{ type: 'ownedBy', targetRef: 'g:d/t', extra: 1 }],
    'relations',
  ].map((relations) => withRoot({ relations })),
  ...[
    {},
    { items: [] },
    { items: [{ type: 'backstage.io/catalog-processing', level: 'error', message: 'boom' }] },
    { items: [{ type: 't', level: 'fatal', message: 'm' }] },
    { items: [{ type: 't', level: 'info' }] },
    { items: [{ type: 't', level: 'info', message: 'm', error: { name: 'Error', message: 'x' } }] },
    { items: [{ type: 't', level: 'info', message: 'm', error: { name: '', message: 'x' } }] },
    { items: [{ type: 't', level: 'info', message: 'm', error: { message: 'x' } }] },
    { items: 'x' },
    { other: true },
    [],
  ].map((status) => withRoot({ status })),
  // Metadata fields.
  withMeta({ name: undefined }),
  ...fieldSamples.map((name) => withMeta({ name })),
  ...nonStrings.map((name) => withMeta({ name })),
  ...fieldSamples.map((namespace) => withMeta({ namespace })),
  ...nonStrings.map((namespace) => withMeta({ namespace })),
  ...['uid', 'etag', 'title', 'description'].flatMap((field) =>
    fieldValues.map((value) => withMeta({ [field]: value })),
  ),
  withMeta({ anything: { else: [1, 2] } }),
  // Labels and annotations: keys and values.
  ...fieldSamples.map((key) => withMeta({ labels: { [key]: 'value' } })),
  ...anyValues.map((value) => withMeta({ labels: { key: value } })),
  ...fieldSamples.map((value) => withMeta({ labels: { key: value } })),
  ...fieldSamples.map((key) => withMeta({ annotations: { [key]: 'any value at all' } })),
  ...anyValues.map((value) => withMeta({ annotations: { 'example.com/key': value } })),
  ...[null, [], 'labels', { a: 'b', c: 'd' }].map((labels) => withMeta({ labels })),
  ...[null, [], 'annotations'].map((annotations) => withMeta({ annotations })),
  // Tags.
  ...fieldSamples.map((tag) => withMeta({ tags: [tag] })),
  ...nonStrings.map((tag) => withMeta({ tags: [tag] })),
  ...[null, 'java', [], ['java', 'java'], {}].map((tags) => withMeta({ tags })),
  // Links.
  ...urlSamples.map((url) => withMeta({ links: [{ url }] })),
  ...nonStrings.map((url) => withMeta({ links: [{ url }] })),
  ...['title', 'icon', 'type'].flatMap((field) =>
    [...fieldValues, '   ', '\t'].map((value) =>
      withMeta({ links: [{ url: 'https://example.com', [field]: value }] }),
    ),
  ),
  ...[null, 'https://example.com', [], ['https://example.com'], [{}], [null], [{ title: 'no url' }]].map(
    (links) => withMeta({ links }),
  ),
  // Relation refs in the spec, parsed by Backstage's processor.
  ...['team-a', 'user:jdoe', 'Group:Other/Team', ':x', 'ns/'].map((owner) =>
    withRoot({ spec: { ...base.spec, owner } }),
  ),
  ...[['db'], ['resource:db'], ['component:other/x'], ['/x']].map((dependsOn) =>
    withRoot({ spec: { ...base.spec, dependsOn } }),
  ),
];

describe('validateEntity: parity with Backstage', () => {
  it(`accepts and refuses what Backstage's catalog does, over ${corpus.length} entities`, async () => {
    await expectParity(corpus);
  });
});

const problemsOf = (entity: unknown) => validateEntity(entity, kinds);

describe('validateEntity: where we refuse more than Backstage', () => {
  const scriptUrls = [
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'JaVaScRiPt:alert(document.domain)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    '\u0000javascript:alert(1)',
    '\u001fjavascript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    'java\rscript:alert(1)',
    'jav\u0000ascript:alert(1)',
    'java\u200bscript:alert(1)',
    '\ufeffjavascript:alert(1)',
    'javascript :alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'DATA:text/html,<script>alert(1)</script>',
    ' data:image/svg+xml,<svg onload=alert(1)>',
    'vbscript:msgbox(1)',
    'VBScript:msgbox(1)',
    '  v b s c r i p t : x',
  ];

  it.each(scriptUrls.map((url) => [JSON.stringify(url), url]))('refuses the link %s', async (_label, url) => {
    const entity = withMeta({ links: [{ url, title: 'Run me' }] });
    expect(problemsOf(entity)).toEqual([
      { path: 'metadata.links.0.url', message: expect.stringMatching(/scheme is not allowed in links$/) },
    ]);
    // Backstage takes every one of them that parses as a URL.
    expect(await backstageAccepts(entity)).toBe(CommonValidatorFunctions.isValidUrl(url));
  });

  it('refuses keys that differ only in case, anywhere in the entity', async () => {
    const cases: Array<[unknown, string]> = [
      [withMeta({ labels: { team: 'a', Team: 'b' } }), 'metadata.labels.Team'],
      [
        withMeta({ annotations: { 'example.com/a': 'x', 'example.com/A': 'y' } }),
        'metadata.annotations.example.com/A',
      ],
      [withRoot({ spec: { ...base.spec, Owner: 'team-b' } }), 'spec.Owner'],
      [withMeta({ Name: 'other' }), 'metadata.Name'],
      [
        withMeta({
          links: [{ url: 'https://a.example' }, { URL: 'https://b.example', url: 'https://c.example' }],
        }),
        'metadata.links.URL',
      ],
      [withRoot({ spec: { ...base.spec, x: ['B'], 'x.b': 1 } }), 'spec.x.b'],
    ];
    for (const [entity, path] of cases) {
      expect(problemsOf(entity)).toEqual([
        { path, message: expect.stringMatching(/^differs only in case from/) },
      ]);
      expect(await backstageAccepts(entity)).toBe(true);
    }
  });

  it('refuses numbers JSON cannot carry, naming the array item', () => {
    expect(problemsOf(withRoot({ spec: { ...base.spec, limits: [1, Infinity, NaN] } }))).toEqual([
      { path: 'spec.limits.1', message: 'Infinity is not a JSON number' },
      { path: 'spec.limits.2', message: 'NaN is not a JSON number' },
    ]);
  });

  it('refuses __proto__ keys', () => {
    const entity = JSON.parse(
      '{"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"a"},' +
        '"spec":{"type":"s","lifecycle":"l","owner":"o","__proto__":{"polluted":true}}}',
    );
    expect(problemsOf(entity)).toEqual([{ path: 'spec.__proto__', message: 'is not an allowed key' }]);
  });

  it('refuses entities nested too deeply, and stops there', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    const entity = withRoot({ spec: { ...base.spec, deep } });
    expect(problemsOf(entity)).toEqual([
      { path: expect.stringMatching(/^spec\.deep(\.d)+$/), message: 'is nested deeper than 100 levels' },
    ]);
    expect(validateEntity(entity, kinds, { maxDepth: 10_000 })).toEqual([]);
  });
});

describe('validateEntity', () => {
  it('accepts a valid entity of every built-in kind', () => {
    const specs: Record<string, unknown> = {
      Component: base.spec,
      API: { ...base.spec, definition: 'openapi: 3.0.0' },
      Resource: { type: 'database', owner: 'team-a', dependsOn: ['resource:other'] },
      System: { owner: 'team-a', domain: 'payments' },
      Domain: { owner: 'team-a' },
      Group: { type: 'team', children: [], members: ['jdoe'] },
      User: { memberOf: ['team-a'], profile: { email: 'jdoe@example.com' } },
      Location: { type: 'url', targets: ['./a.yaml'] },
      Template: { type: 'service', steps: [{ action: 'debug:log' }] },
    };
    for (const [kind, spec] of Object.entries(specs)) {
      const apiVersion = kind === 'Template' ? 'scaffolder.backstage.io/v1beta3' : 'backstage.io/v1beta1';
      expect(problemsOf({ apiVersion, kind, metadata: { name: 'x' }, spec })).toEqual([]);
    }
  });

  it('names every offending field', () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'bad name',
        namespace: 'Shop',
        labels: { 'bad key!': 'v', ok: 'bad value!' },
        tags: ['Java', 7],
        links: [{ url: 'not a url' }],
      },
      spec: { type: 'service', owner: 'team-a' },
      extra: true,
    };
    expect(problemsOf(entity).map((p) => p.path)).toEqual([
      'extra',
      'metadata.tags.1',
      'metadata.name',
      'metadata.namespace',
      'metadata.labels.bad key!',
      'metadata.labels.ok',
      'metadata.tags.0',
      'metadata.links.0.url',
      'spec.lifecycle',
    ]);
  });

  it('writes readable messages', () => {
    expect(problemsOf(withMeta({ name: 'bad name' }))).toEqual([
      {
        path: 'metadata.name',
        message:
          'expected sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters, found "bad name"',
      },
    ]);
    expect(problemsOf(withRoot({ kind: 'component' }))).toEqual([
      { path: 'kind', message: 'unknown kind "component"; did you mean "Component"?' },
    ]);
    expect(problemsOf(withRoot({ kind: 'Widget' }))).toEqual([
      { path: 'kind', message: 'unknown kind "Widget"' },
    ]);
    expect(problemsOf(withRoot({ apiVersion: 'backstage.io/v2' }))).toEqual([
      {
        path: 'apiVersion',
        message: 'kind Component accepts apiVersion "backstage.io/v1alpha1" or "backstage.io/v1beta1"',
      },
    ]);
    expect(problemsOf(withRoot({ spec: undefined }))).toEqual([{ path: 'spec', message: 'is required' }]);
  });

  it('validates entities of custom kinds against their schema and relation fields', () => {
    const custom = new KindRegistry();
    custom.register({
      apiVersion: 'example.com/v1',
      kind: 'Pipeline',
      specSchema: { type: 'object', required: ['owner'], properties: { owner: { type: 'string' } } },
      relations: [{ field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf' }],
    });
    const pipeline = (spec: unknown) => ({
      apiVersion: 'example.com/v1',
      kind: 'Pipeline',
      metadata: { name: 'p' },
      spec,
    });
    expect(validateEntity(pipeline({ owner: 'group:ci' }), custom)).toEqual([]);
    expect(validateEntity(pipeline({}), custom)).toEqual([{ path: 'spec.owner', message: 'is required' }]);
    expect(validateEntity(pipeline({ owner: 'ci' }), custom)).toEqual([
      { path: 'spec.owner', message: expect.stringMatching(/missing or empty kind/) },
    ]);
  });

  it.each([[null], [undefined], [1], ['entity'], [[]], [true]])('reports %j as not an entity', (value) => {
    expect(problemsOf(value)).toEqual([{ path: '', message: 'an entity must be a JSON object' }]);
  });

  it('never throws, whatever it is given', () => {
    const cyclic: Record<string, unknown> = { ...base };
    cyclic.spec = { ...base.spec, self: cyclic };
    const hostile = [
      cyclic,
      withRoot({ spec: { ...base.spec, fn: () => 1, sym: Symbol('s'), big: BigInt(1) } }),
      withMeta({ labels: new Map([['a', 'b']]) }),
      Object.create(null),
      new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('trap');
          },
        },
      ),
    ];
    const expected = [
      [
        {
          path: expect.stringMatching(/^spec\.self(\.spec\.self)+$/),
          message: 'is nested deeper than 100 levels',
        },
      ],
      [
        { path: 'spec.fn', message: 'a function is not a JSON value' },
        { path: 'spec.sym', message: 'a symbol is not a JSON value' },
        { path: 'spec.big', message: 'a bigint is not a JSON value' },
      ],
      [{ path: 'metadata.labels', message: 'is not a plain JSON object' }],
      [
        { path: 'apiVersion', message: 'is required' },
        { path: 'kind', message: 'is required' },
        { path: 'metadata', message: 'is required' },
      ],
      [{ path: '', message: 'the entity could not be validated: trap' }],
    ];
    hostile.forEach((value, index) => {
      expect(() => problemsOf(value)).not.toThrow();
      expect(problemsOf(value)).toEqual(expected[index]);
    });
  });

  it('caps the number of problems it reports', () => {
    const tags = Array.from({ length: 500 }, () => 'BAD');
    const problems = validateEntity(withMeta({ tags }), kinds, { maxProblems: 10 });
    expect(problems).toHaveLength(11);
    expect(problems[10]).toEqual({ path: '', message: '490 more problems not shown' });
  });

  it('narrows the type with isValidEntity', () => {
    const value: unknown = base;
    expect(isValidEntity(value, kinds)).toBe(true);
    expect(isValidEntity({}, kinds)).toBe(false);
  });
});
