import { SCHEMA_LIMITS, checkSchemaSafety } from './schema-guard.js';

function nested(depth: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { a: schema } };
  return schema;
}

describe('checkSchemaSafety', () => {
  it('accepts ordinary schemas, with local references', () => {
    expect(
      checkSchemaSafety({
        type: 'object',
        definitions: { ref: { type: 'string', pattern: '^[a-z]+:[a-z]+$' } },
        properties: {
          owner: { $ref: '#/definitions/ref' },
          tags: { type: 'array', items: { $ref: '#/definitions/ref' } },
        },
        patternProperties: { '^x-': { type: 'string' } },
      }),
    ).toEqual([]);
  });

  it.each([
    'https://evil.example.com/schema.json',
    'http://json-schema.org/draft-07/schema',
    '//evil.example.com/s',
    'file:///etc/passwd',
    'other.json#/definitions/a',
    'urn:uuid:1',
  ])('refuses the remote reference %s, wherever it is', (ref) => {
    const problems = checkSchemaSafety({ type: 'object', properties: { a: { items: { $ref: ref } } } });
    expect(problems).toEqual([
      {
        path: 'specSchema.properties.a.items.$ref',
        message: expect.stringContaining('must point inside the schema'),
      },
    ]);
  });

  it('refuses $dynamicRef and $recursiveRef outside the schema too', () => {
    expect(checkSchemaSafety({ $dynamicRef: 'https://x/y' })).toHaveLength(1);
    expect(checkSchemaSafety({ $recursiveRef: 'https://x/y' })).toHaveLength(1);
  });

  it('does not read references inside data keywords', () => {
    expect(
      checkSchemaSafety({
        const: { $ref: 'https://x' },
        enum: [{ $ref: 'https://x' }],
        default: { $ref: 'x' },
      }),
    ).toEqual([]);
  });

  it('refuses async schemas and other drafts', () => {
    expect(checkSchemaSafety({ $async: true })).toEqual([
      { path: 'specSchema.$async', message: 'async schemas are not allowed' },
    ]);
    expect(checkSchemaSafety({ $schema: 'https://json-schema.org/draft/2020-12/schema' })).toHaveLength(1);
    expect(checkSchemaSafety({ $schema: 'http://json-schema.org/draft-07/schema#' })).toEqual([]);
  });

  it('refuses patterns that do not compile or are too long', () => {
    expect(checkSchemaSafety({ pattern: '([a-z' })[0].message).toMatch(/not a valid regular expression/);
    expect(checkSchemaSafety({ patternProperties: { '(': {} } })[0].path).toBe(
      'specSchema.patternProperties.(',
    );
    expect(checkSchemaSafety({ pattern: 'a'.repeat(SCHEMA_LIMITS.maxPatternLength + 1) })[0].message).toMatch(
      /longer than/,
    );
  });

  it('refuses schemas that are too deep or too large', () => {
    expect(checkSchemaSafety(nested(20))).toEqual([]);
    expect(checkSchemaSafety(nested(40))[0].message).toMatch(/nested deeper than/);
    const huge = { enum: Array.from({ length: 30_000 }, (_, i) => `value-${i}`) };
    expect(checkSchemaSafety(huge)[0].message).toMatch(/larger than/);
  });

  it('refuses values that are not JSON schema objects', () => {
    expect(checkSchemaSafety(true)).toEqual([
      { path: 'specSchema', message: 'must be a JSON schema object' },
    ]);
    expect(checkSchemaSafety([])).toHaveLength(1);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(checkSchemaSafety(cyclic)[0].message).toMatch(/must be plain JSON/);
    expect(checkSchemaSafety({ big: BigInt(1) })[0].message).toMatch(/must be plain JSON/);
  });
});
