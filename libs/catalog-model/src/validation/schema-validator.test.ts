import { compileSchemaValidator } from './schema-validator.js';

describe('compileSchemaValidator', () => {
  const validate = compileSchemaValidator({
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1 },
      level: { enum: ['info', 'error'] },
      tags: { type: 'array', items: { type: 'string' } },
      'a/b': { type: 'number' },
    },
  });

  it('reports nothing for a valid value', () => {
    expect(validate({ name: 'x', level: 'info', tags: ['a'] })).toEqual([]);
  });

  it('reports every problem at once, with dotted paths under the base', () => {
    expect(validate({ level: 'fatal', tags: ['a', 1], extra: true, 'a/b': 'x' }, 'spec')).toEqual([
      { path: 'spec.name', message: 'is required' },
      { path: 'spec.extra', message: 'is not an allowed field' },
      { path: 'spec.level', message: 'must be one of "info", "error"' },
      { path: 'spec.tags.1', message: 'must be string' },
      { path: 'spec.a/b', message: 'must be number' },
    ]);
  });

  it('reports a value of the wrong type at its root', () => {
    expect(validate('x')).toEqual([{ path: '', message: 'must be object' }]);
  });

  it('ignores keywords it does not know, and refuses schemas that are invalid', () => {
    expect(
      compileSchemaValidator({ type: 'string', 'ui:widget': 'textarea', format: 'whatever' })('x'),
    ).toEqual([]);
    expect(() => compileSchemaValidator({ type: 'strnig' })).toThrow();
    expect(() => compileSchemaValidator({ $ref: 'https://example.com/s.json' })).toThrow(
      /can't resolve reference/,
    );
  });

  it('compiles schemas that share an $id independently', () => {
    const a = compileSchemaValidator({ $id: 'same', type: 'string' });
    const b = compileSchemaValidator({ $id: 'same', type: 'number' });
    expect(a('x')).toEqual([]);
    expect(b(1)).toEqual([]);
  });
});
