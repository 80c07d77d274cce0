import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';

describe('event cursors', () => {
  it('round-trips ids, including ids beyond 2^53', () => {
    for (const id of [0n, 1n, 42n, 9_007_199_254_740_993n, 9_223_372_036_854_775_807n]) {
      expect(decodeEventCursor(encodeEventCursor(id))).toBe(id);
    }
  });

  it.each(['', ' 1', '01', '-1', '1.5', 'abc', '1e3', '9223372036854775808', '99999999999999999999'])(
    'refuses %p with an InputError',
    (bad) => {
      expect(() => decodeEventCursor(bad, 'Last-Event-ID')).toThrow(
        expect.objectContaining({ name: 'InputError', message: expect.stringContaining('Last-Event-ID') }),
      );
    },
  );
});
