import { colourEnabled, formatLogLine, formatTime, formatValue, prefixLines } from './log-format.mjs';

// Local time is what people read in a terminal; pin it so the expectations are stable.
process.env.TZ = 'UTC';

const line = (record: Record<string, unknown>) => JSON.stringify(record);

describe('formatLogLine', () => {
  it('renders a pino record as time, level, message and compact extra fields', () => {
    const out = formatLogLine(
      line({
        level: 'info',
        time: '2026-11-22T09:15:02.117Z',
        service: 'catalog',
        pid: 4242,
        msg: 'listening',
        port: 41231,
        ready: true,
        path: '/api/catalog',
      }),
    );
    expect(out).toBe('09:15:02.117 INFO  listening port=41231 ready=true path=/api/catalog');
  });

  it('maps numeric pino levels and epoch-millisecond times', () => {
    const out = formatLogLine(line({ level: 50, time: Date.UTC(2026, 0, 2, 3, 4, 5, 6), msg: 'boom' }));
    expect(out).toBe('03:04:05.006 ERROR boom');
  });

  it('quotes strings with spaces and prints objects as compact JSON', () => {
    const out = formatLogLine(
      line({ level: 'warn', msg: 'slow', query: 'select 1', ids: [1, 2], ctx: { a: 'b' } }),
    );
    expect(out).toBe('WARN  slow query="select 1" ids=[1,2] ctx={"a":"b"}');
  });

  it('puts a stack trace on indented lines below the message', () => {
    const stack = 'Error: nope\n    at main (file.js:1:1)';
    const out = formatLogLine(
      line({ level: 'error', msg: 'failed', err: { type: 'Error', message: 'nope', stack } }),
    );
    expect(out.split('\n')).toEqual(['ERROR failed', '    Error: nope', '        at main (file.js:1:1)']);
  });

  it('passes through lines that are not JSON log records unchanged', () => {
    for (const raw of ['plain text', '{not json', '[1,2]', '{"unrelated":true}', '  at Object.<anonymous>']) {
      expect(formatLogLine(raw)).toBe(raw);
    }
  });

  it('colours the level when asked to', () => {
    const out = formatLogLine(line({ level: 'error', msg: 'x' }), { colour: true });
    expect(out).toContain('\x1b[31mERROR\x1b[39m');
    expect(formatLogLine(line({ level: 'error', msg: 'x' }))).not.toContain('\x1b[');
  });
});

describe('helpers', () => {
  it('formatTime ignores values that are not timestamps', () => {
    expect(formatTime('yesterday')).toBeUndefined();
    expect(formatTime(undefined)).toBeUndefined();
    expect(formatTime('2026-11-22T23:59:59.999Z')).toBe('23:59:59.999');
  });

  it('formatValue keeps simple words bare', () => {
    expect(formatValue('abc-1.2')).toBe('abc-1.2');
    expect(formatValue('a=b')).toBe('"a=b"');
    expect(formatValue(null)).toBe('null');
  });

  it('prefixLines pads the tag to a common width on every line', () => {
    expect(prefixLines('one\ntwo', 'gateway', { width: 12 })).toBe('[gateway]      one\n[gateway]      two');
    expect(prefixLines('x', 'catalog-1', { width: 12 })).toBe('[catalog-1]    x');
  });

  it('colourEnabled follows NO_COLOR, FORCE_COLOR and the TTY', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
  });
});
