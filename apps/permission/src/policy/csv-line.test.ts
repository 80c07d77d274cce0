import { splitCsvLine } from './csv-line.js';

describe('splitCsvLine', () => {
  it.each([
    [
      'p, role:default/a, catalog-entity, read, allow',
      ['p', 'role:default/a', 'catalog-entity', 'read', 'allow'],
    ],
    ['g,user:default/jane,role:default/a', ['g', 'user:default/jane', 'role:default/a']],
    ['  p ,\ta\t, b  ', ['p', 'a', 'b']],
    ['p, "role:default/a", "x, y", read', ['p', 'role:default/a', 'x, y', 'read']],
    ['"a ""quoted"" word", b', ['a "quoted" word', 'b']],
    ['"", b', ['', 'b']],
    ['a,,b', ['a', '', 'b']],
    ['a, b,', ['a', 'b', '']],
    ['  "a"  , "b"', ['a', 'b']],
    ['single', ['single']],
  ])('splits %j', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields);
  });

  it.each([
    ['p, "role:default/a, read', 'a quoted field is not closed'],
    ['p, "a" b, c', 'unexpected text after a quoted field at column 8'],
    ['p, a"b, c', 'a quote inside an unquoted field'],
  ])('refuses %j', (line, message) => {
    expect(() => splitCsvLine(line)).toThrow(message);
  });
});
