import { KindRegistry } from '../kind-registry.js';
import { validateEntity } from '../../validation/validate-entity.js';
import { templateKind } from './template.js';

const kinds = new KindRegistry();

const spec = {
  owner: 'team-a',
  type: 'service',
  lifecycle: 'production',
  parameters: [
    { title: 'Name', required: ['name'], properties: { name: { type: 'string', 'ui:autofocus': true } } },
    { title: 'Repository', 'backstage:permissions': { tags: ['admin'] }, properties: {} },
  ],
  steps: [
    { id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './skeleton' } },
    {
      action: 'publish:github',
      if: '${{ parameters.publish }}',
      input: { repoUrl: '${{ parameters.repoUrl }}' },
    },
    { action: 'debug:log', if: false, each: '${{ parameters.items }}' },
  ],
  output: {
    links: [
      { title: 'Repository', url: '${{ steps.publish.output.remoteUrl }}' },
      { entityRef: 'component:a' },
    ],
    text: [{ title: 'Done', content: '**ok**' }],
    remoteUrl: '${{ steps.publish.output.remoteUrl }}',
  },
  secrets: { schema: { type: 'object' } },
  presentation: { buttonLabels: { createButtonText: 'Go' } },
  formDecorators: [{ id: 'decorator', input: {} }],
  EXPERIMENTAL_recovery: { EXPERIMENTAL_strategy: 'startOver' },
};

function template(overrides: Record<string, unknown>, apiVersion = 'scaffolder.backstage.io/v1beta3') {
  return {
    apiVersion,
    kind: 'Template',
    metadata: { name: 'create-service' },
    spec: { ...spec, ...overrides },
  };
}

function problems(entity: unknown): string[] {
  return validateEntity(entity, kinds).map((p) => `${p.path}: ${p.message}`);
}

describe('Template', () => {
  it('accepts a full template', () => {
    expect(problems(template({}))).toEqual([]);
  });

  it('accepts parameters as one object, and a minimal spec', () => {
    expect(problems(template({ parameters: { properties: { a: { type: 'string' } } } }))).toEqual([]);
    const minimal = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: 't' },
    };
    expect(problems({ ...minimal, spec: { type: 'service', steps: [] } })).toEqual([]);
  });

  it('only under scaffolder.backstage.io/v1beta3', () => {
    expect(problems(template({}, 'backstage.io/v1alpha1'))).toEqual([
      'apiVersion: kind Template accepts apiVersion "scaffolder.backstage.io/v1beta3"',
    ]);
    expect(problems(template({}, 'scaffolder.backstage.io/v1beta2'))).toHaveLength(1);
  });

  it('requires type and steps, and an action in every step', () => {
    expect(problems(template({ type: undefined, steps: undefined }))).toEqual(
      expect.arrayContaining(['spec.type: is required', 'spec.steps: is required']),
    );
    expect(problems(template({ steps: [{ id: 'x' }] }))).toEqual(['spec.steps.0.action: is required']);
  });

  it('checks field types', () => {
    expect(problems(template({ type: '' }))).toEqual(['spec.type: must NOT have fewer than 1 characters']);
    expect(problems(template({ steps: [{ action: 'a', if: 1 }] }))).toEqual([
      'spec.steps.0.if: must be string,boolean',
    ]);
    expect(problems(template({ steps: [{ action: 'a', input: 'x' }] }))).toEqual([
      'spec.steps.0.input: must be object',
    ]);
    expect(problems(template({ parameters: 'x' }))).toContain(
      'spec.parameters: must match exactly one schema in oneOf',
    );
    expect(problems(template({ output: { remoteUrl: 42 } }))).toEqual([
      'spec.output.remoteUrl: must be string',
    ]);
    expect(problems(template({ owner: 7 }))).toEqual(['spec.owner: must be string']);
  });

  it('relates to its owner', () => {
    expect(templateKind.relations).toEqual([
      { field: 'spec.owner', type: 'ownedBy', inverse: 'ownerOf', defaultKind: 'Group' },
    ]);
  });
});
