import type { DataSource } from 'typeorm';

interface Mark {
  /** The highest event id handed out when the mark was taken. */
  id: bigint;
  /** An xid assigned after `id` was read: every writer holding an id <= `id` has a smaller one. */
  xid: bigint;
}

/** At most this many marks wait for their transactions; a newer mark replaces the last one beyond. */
const MAX_MARKS = 32;

/**
 * The safe horizon of the change stream: the highest event id at or below which no event can still
 * appear. Event ids are assigned before commit, so a lower id may commit after a higher one; a
 * reader that moved past the higher one would skip it. Neither `id` order nor `tx_id` order alone is
 * safe: a writer takes its xid when it locks its rows, possibly long before it draws an event id, and
 * a snapshot's xmax (latest completed xid + 1) does not cover transactions still running above it.
 *
 * So the horizon moves in two steps. A mark reads the sequence's last value `id`, then takes an xid
 * of its own (`pg_current_xact_id()` in a transaction of one statement): every transaction holding
 * an id <= `id` already had its xid by then (writers lock their refresh_state rows, which assigns
 * it, before appending; `tx_id`'s default assigns it at the latest with the row), so that xid is
 * smaller than the mark's. When a later snapshot's xmin (the oldest running xid) reaches the mark's
 * xid, all of them have ended, committed or not, and every event up to `id` is final: the horizon
 * moves to `id`. A transaction that stays open (in any database of the server: xids are shared)
 * holds the horizon back for as long as it runs; it never lets a reader skip. Marks are only taken
 * when new ids were handed out, so an idle catalog uses no xids.
 */
export class StreamHorizon {
  private marks: Mark[] = [];
  private safe: bigint | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** The current safe horizon; undefined until the first mark was promoted. */
  get value(): bigint | undefined {
    return this.safe;
  }

  /** Whether marks are waiting for transactions to end (worth looking again soon). */
  get pending(): boolean {
    return this.marks.length > 0;
  }

  /** Takes a mark if ids were handed out, and promotes every mark whose writers have ended. */
  async advance(): Promise<bigint | undefined> {
    // In this order, each its own statement: the sequence value, an xid, then a fresh snapshot.
    const [sequence] = (await this.dataSource.query(
      'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS id FROM entity_events_id_seq',
    )) as Array<{ id: string }>;
    const lastId = BigInt(sequence!.id);
    if (this.wantsMark(lastId)) {
      const [own] = (await this.dataSource.query('SELECT pg_current_xact_id()::text AS xid')) as Array<{
        xid: string;
      }>;
      this.mark(lastId, BigInt(own!.xid));
    }
    const [snapshot] = (await this.dataSource.query(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
    )) as Array<{ xmin: string }>;
    return this.promote(BigInt(snapshot!.xmin));
  }

  /** Whether `lastId` is past both the horizon and the newest mark. */
  wantsMark(lastId: bigint): boolean {
    // No id was ever handed out: nothing can appear at or below 0.
    if (this.safe === undefined && lastId === 0n) this.safe = 0n;
    const last = this.marks[this.marks.length - 1];
    return (this.safe === undefined || lastId > this.safe) && (!last || lastId > last.id);
  }

  mark(id: bigint, xid: bigint): void {
    // A later mark asks for more (a higher xid) to be promoted: replacing the last one is safe.
    if (this.marks.length >= MAX_MARKS) this.marks[this.marks.length - 1] = { id, xid };
    else this.marks.push({ id, xid });
  }

  /** Promotes the marks whose writers have all ended (no running xid below theirs). */
  promote(xmin: bigint): bigint | undefined {
    while (this.marks.length && this.marks[0]!.xid <= xmin) {
      const mark = this.marks.shift()!;
      if (this.safe === undefined || mark.id > this.safe) this.safe = mark.id;
    }
    return this.safe;
  }
}
