import { InputError } from '@portal/platform';

const MAX_ID = 9_223_372_036_854_775_807n;

/**
 * A position in the change stream: the id of the last event handled. Cursors are opaque to
 * consumers (today the decimal id; "0" is before the oldest event); anything else is refused with
 * an InputError naming `name`.
 */
export function decodeEventCursor(cursor: string, name = 'cursor'): bigint {
  if (typeof cursor !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(cursor)) {
    throw new InputError(`Invalid ${name}: not a cursor of the change stream`);
  }
  const id = BigInt(cursor);
  if (id > MAX_ID) throw new InputError(`Invalid ${name}: not a cursor of the change stream`);
  return id;
}

export function encodeEventCursor(id: bigint | string): string {
  return BigInt(id).toString();
}
