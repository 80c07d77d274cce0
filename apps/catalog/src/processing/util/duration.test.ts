import { Config } from '@portal/platform';
import { readDuration } from './duration.js';

const read = (value: unknown) => readDuration(Config.fromObject({ d: value as never }), 'd');

describe('readDuration', () => {
  it('reads HumanDuration objects', () => {
    expect(read({ minutes: 30 })).toBe(1_800_000);
    expect(read({ seconds: 1, milliseconds: 500 })).toBe(1500);
    expect(read({ days: 1, hours: 1 })).toBe(90_000_000);
  });

  it('reads ISO 8601 durations', () => {
    expect(read('PT30M')).toBe(1_800_000);
    expect(read('PT1.5S')).toBe(1500);
    expect(read('P1DT1H')).toBe(90_000_000);
  });

  it('is undefined when absent', () => {
    expect(readDuration(Config.fromObject({}), 'd')).toBeUndefined();
  });

  it.each([
    ['30m'],
    [''],
    ['P'],
    ['PT'],
    [{ fortnights: 1 }],
    [{}],
    [{ minutes: -1 }],
    [{ minutes: '3' }],
    [12],
    [[1]],
  ])('refuses %j, naming the key', (value) => {
    expect(() => read(value)).toThrow(/Invalid duration at 'd'/);
  });
});
