import { InputError, type Config } from '@portal/platform';

const UNIT_MS: Record<string, number> = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

const ISO =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * A duration as Backstage configures it, in milliseconds: a HumanDuration object
 * (`{ minutes: 30 }`, `{ seconds: 100 }`) or an ISO 8601 duration string (`PT30M`). Throws an
 * InputError naming `key` for anything else.
 */
export function readDuration(config: Config, key: string): number | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  const fail = (): never => {
    throw new InputError(
      `Invalid duration at '${key}': use an object like { minutes: 30 } or an ISO 8601 duration like PT30M`,
    );
  };
  if (typeof value === 'string') {
    const match = ISO.exec(value.trim());
    if (!match || value.trim() === 'P' || /T$/i.test(value.trim())) return fail();
    const [, y, mo, w, d, h, mi, s] = match;
    const parts: Array<[string | undefined, string]> = [
      [y, 'years'],
      [mo, 'months'],
      [w, 'weeks'],
      [d, 'days'],
      [h, 'hours'],
      [mi, 'minutes'],
      [s, 'seconds'],
    ];
    return parts.reduce((ms, [n, unit]) => ms + (n ? Number(n) * UNIT_MS[unit]! : 0), 0);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail();
  const entries = Object.entries(value);
  if (!entries.length) return fail();
  let total = 0;
  for (const [unit, amount] of entries) {
    if (!(unit in UNIT_MS) || typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)
      return fail();
    total += amount * UNIT_MS[unit]!;
  }
  return total;
}
