import { checkFieldFormats } from './field-format.js';

describe('checkFieldFormats', () => {
  it('reports nothing for well-formed fields', () => {
    expect(
      checkFieldFormats({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'svc',
          namespace: 'team-a',
          labels: { 'example.com/tier': 'gold', empty: '' },
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
          tags: ['java', 'k8s:prod'],
          links: [{ url: 'https://example.com', title: 'Home', icon: 'dashboard' }],
        },
      }),
    ).toEqual([]);
  });

  it('names each malformed field and what was expected', () => {
    const problems = checkFieldFormats({
      apiVersion: 'not/a/version',
      kind: '1kind',
      metadata: {
        name: '-svc',
        namespace: 'Team',
        labels: { 'bad key': 'x', good: 'bad value' },
        annotations: { '/x': 'anything' },
        tags: ['UPPER'],
        links: [{ url: 'nope' }, { url: 'javascript:alert(1)' }, { url: 'https://x', title: ' ', icon: '' }],
      },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'apiVersion',
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.labels.bad key',
      'metadata.labels.good',
      'metadata.annotations./x',
      'metadata.tags.0',
      'metadata.links.0.url',
      'metadata.links.1.url',
      'metadata.links.2.title',
      'metadata.links.2.icon',
    ]);
    expect(problems[2].message).toBe(
      'expected sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters, found "-svc"',
    );
    expect(problems[9].message).toBe('the javascript: scheme is not allowed in links');
  });

  it('leaves values of the wrong type to the schema', () => {
    expect(
      checkFieldFormats({
        apiVersion: 1,
        kind: null,
        metadata: { name: 2, labels: 'x', tags: 'y', links: [null, 'z'] },
      }),
    ).toEqual([]);
    expect(checkFieldFormats({ metadata: 'x' })).toEqual([]);
  });

  it('shortens long values in messages', () => {
    const [problem] = checkFieldFormats({ metadata: { name: 'x'.repeat(500) } });
    expect(problem.message.length).toBeLessThan(250);
  });
});
