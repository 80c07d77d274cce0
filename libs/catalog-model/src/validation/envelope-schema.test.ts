import { entityEnvelopeSchema, entityMetadataSchema } from './envelope-schema.js';
import { compileSchemaValidator } from './schema-validator.js';

const envelope = compileSchemaValidator(entityEnvelopeSchema);
const metadata = compileSchemaValidator(entityMetadataSchema);

describe('entity envelope schema', () => {
  it('allows only the six root fields', () => {
    const entity = {
      apiVersion: 'v1',
      kind: 'K',
      metadata: { name: 'n' },
      spec: {},
      relations: [],
      status: {},
    };
    expect(envelope(entity)).toEqual([]);
    expect(envelope({ ...entity, attachments: [] })).toEqual([
      { path: 'attachments', message: 'is not an allowed field' },
    ]);
  });

  it('requires apiVersion, kind and metadata, and a spec that is an object', () => {
    expect(envelope({ spec: [] }).map((p) => p.path)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('checks relations and status items', () => {
    const entity = {
      apiVersion: 'v1',
      kind: 'K',
      metadata: { name: 'n' },
      relations: [{ type: 'owned by', targetRef: 'g:d/t' }],
      status: { items: [{ type: 't', level: 'debug', message: 'm' }] },
    };
    expect(envelope(entity)).toEqual([
      { path: 'relations.0.type', message: 'must match pattern "^\\w+$"' },
      { path: 'status.items.0.level', message: 'must be one of "info", "warning", "error"' },
    ]);
  });
});

describe('entity metadata schema', () => {
  it('takes extra keys', () => {
    expect(metadata({ name: 'n', custom: { a: 1 } })).toEqual([]);
  });

  it('types the known fields', () => {
    expect(
      metadata({
        name: '',
        labels: { a: 1 },
        annotations: [],
        tags: [''],
        links: [{ title: 'x' }],
        description: 1,
      }),
    ).toEqual([
      { path: 'name', message: 'must NOT have fewer than 1 characters' },
      { path: 'description', message: 'must be string' },
      { path: 'labels.a', message: 'must be string' },
      { path: 'annotations', message: 'must be object' },
      { path: 'tags.0', message: 'must NOT have fewer than 1 characters' },
      { path: 'links.0.url', message: 'is required' },
    ]);
  });
});
