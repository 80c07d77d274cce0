import type { Entity } from '@portal/catalog-model';
import type { ReadAccess } from '../permissions/catalog-permissions.js';
import { LiveReadAccess } from './live-read-access.js';

const entity = (kind: string): Entity => ({ apiVersion: 'v1', kind, metadata: { name: 'x' } });
const kindOnly = (kind: string): ReadAccess => ({
  filter: { kind },
  allows: (e) => e?.kind === kind,
});

describe('LiveReadAccess', () => {
  it('decides at open and again every interval', async () => {
    const answers = [kindOnly('Component'), kindOnly('API')];
    const asked: unknown[] = [];
    const access = await LiveReadAccess.open(
      async (principal) => {
        asked.push(principal);
        return answers.shift() ?? kindOnly('API');
      },
      { type: 'user', userEntityRef: 'user:default/jane' } as never,
      20,
    );
    try {
      expect(access.allows(entity('Component'))).toBe(true);
      expect(access.allows(entity('API'))).toBe(false);
      await new Promise((r) => setTimeout(r, 80));
      expect(access.allows(entity('Component'))).toBe(false);
      expect(access.allows(entity('API'))).toBe(true);
      expect(asked.length).toBeGreaterThanOrEqual(2);
      // Each decision is asked for a fresh principal object (decisions are memoised per object).
      expect(asked[1]).toEqual(asked[0]);
      expect(asked[1]).not.toBe(asked[0]);
    } finally {
      access.close();
    }
  });

  it('fails closed once a later decision cannot be had', async () => {
    let calls = 0;
    const access = await LiveReadAccess.open(
      async () => {
        calls++;
        if (calls > 1) throw new Error('permission service unavailable');
        return kindOnly('Component');
      },
      undefined,
      60_000,
    );
    try {
      expect(access.allows(entity('Component'))).toBe(true);
      const told: string[] = [];
      access.onFailure((error) => told.push(error.message));
      await access.refresh();
      expect(told).toEqual(['permission service unavailable']);
      expect(access.failed?.message).toBe('permission service unavailable');
      expect(() => access.allows(entity('Component'))).toThrow('permission service unavailable');
      access.onFailure((error) => told.push(`late: ${error.message}`));
      expect(told).toEqual(['permission service unavailable', 'late: permission service unavailable']);
      await access.refresh(); // no further call once failed
      expect(calls).toBe(2);
    } finally {
      access.close();
    }
  });

  it('fails at open like a single decision would', async () => {
    await expect(
      LiveReadAccess.open(async () => {
        throw new Error('down');
      }, undefined),
    ).rejects.toThrow('down');
  });
});
