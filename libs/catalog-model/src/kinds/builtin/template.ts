import * as R from '../../relation-types.js';
import type { KindDefinition } from '../kind-definition.js';
import { objectSchema, text } from './schema-parts.js';

const condition = { type: ['string', 'boolean'] } as const;
const permissions = {
  type: 'object',
  properties: { tags: { type: 'array', items: { type: 'string' } } },
} as const;
const formPage = { type: 'object', properties: { 'backstage:permissions': permissions } } as const;
const decorators = {
  type: 'array',
  items: { type: 'object', properties: { id: { type: 'string' }, input: { type: 'object' } } },
} as const;

const step = {
  type: 'object',
  required: ['action'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    action: { type: 'string' },
    input: { type: 'object' },
    if: condition,
    'backstage:permissions': permissions,
  },
} as const;

const output = {
  type: 'object',
  properties: {
    links: {
      type: 'array',
      items: {
        type: 'object',
        properties: { if: condition, url: text, entityRef: text, title: text, icon: text },
      },
    },
    text: {
      type: 'array',
      items: {
        type: 'object',
        properties: { if: condition, title: text, icon: text, content: { type: 'string' } },
      },
    },
  },
  // Other output keys are plain values shown to the user.
  additionalProperties: { type: 'string' },
} as const;

/** A scaffolder template: a parameter form and the steps that create something from it. */
export const templateKind: KindDefinition = {
  apiVersion: ['scaffolder.backstage.io/v1beta3'],
  kind: 'Template',
  description: 'A scaffolding task: parameters to ask for and steps to run.',
  specSchema: objectSchema(['type', 'steps'], {
    type: text,
    owner: text,
    lifecycle: text,
    parameters: { oneOf: [formPage, { type: 'array', items: formPage }] },
    steps: { type: 'array', items: step },
    output,
    secrets: { type: 'object', properties: { schema: { type: 'object' } } },
    presentation: {
      type: 'object',
      properties: {
        buttonLabels: {
          type: 'object',
          properties: {
            backButtonText: { type: 'string' },
            createButtonText: { type: 'string' },
            reviewButtonText: { type: 'string' },
          },
        },
      },
    },
    formDecorators: decorators,
    EXPERIMENTAL_formDecorators: decorators,
    EXPERIMENTAL_recovery: { type: 'object', properties: { EXPERIMENTAL_strategy: { type: 'string' } } },
  }),
  relations: [
    { field: 'spec.owner', type: R.RELATION_OWNED_BY, inverse: R.RELATION_OWNER_OF, defaultKind: 'Group' },
  ],
};
