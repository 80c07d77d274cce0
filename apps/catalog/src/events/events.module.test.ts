import { Config } from '@portal/platform';
import type { JsonObject } from '@portal/platform';
import { retentionFromConfig } from './events.module.js';

describe('catalog.events.retention', () => {
  const read = (events?: Record<string, unknown>) =>
    retentionFromConfig(Config.fromObject((events ? { catalog: { events } } : {}) as JsonObject));

  it('defaults to 30 days, reads Backstage durations, and false keeps everything', () => {
    expect(read()).toBe(30 * 86_400_000);
    expect(read({ retention: { days: 7 } })).toBe(7 * 86_400_000);
    expect(read({ retention: 'PT12H' })).toBe(12 * 3_600_000);
    expect(read({ retention: false })).toBeUndefined();
  });

  it('names the key of a bad duration', () => {
    expect(() => read({ retention: { fortnights: 1 } })).toThrow(/catalog\.events\.retention/);
  });
});
