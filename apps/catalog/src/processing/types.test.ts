import { InputError } from '@portal/platform';
import { containsNul, toSerializedError } from './types.js';

describe('toSerializedError', () => {
  it('keeps the name and message of errors and error-like values, never the stack', () => {
    expect(toSerializedError(new InputError('bad field'))).toEqual({
      name: 'InputError',
      message: 'bad field',
    });
    expect(toSerializedError(new TypeError('nope'))).toEqual({ name: 'TypeError', message: 'nope' });
    expect(toSerializedError({ name: 'NotFoundError', message: 'gone' })).toEqual({
      name: 'NotFoundError',
      message: 'gone',
    });
    expect(toSerializedError({ message: 'anonymous' })).toEqual({ name: 'Error', message: 'anonymous' });
    expect(toSerializedError('just a string')).toEqual({ name: 'Error', message: 'just a string' });
  });
});

describe('containsNul', () => {
  it('finds a NUL character in any string of a JSON value, keys included', () => {
    expect(containsNul({ a: ['x', { b: 'y\u0000z' }] })).toBe(true);
    expect(containsNul({ 'k\u0000': 1 })).toBe(true);
    expect(containsNul({ a: 'plain \\u0000 text' })).toBe(false);
    expect(containsNul({ a: 'fine' })).toBe(false);
  });
});
