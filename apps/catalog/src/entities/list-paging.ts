import { InputError } from '@portal/platform';

/**
 * Paging of GET /entities: `limit` and `offset`, or the opaque `after` of a previous page's Link
 * header (it carries the next offset and the page size).
 */
export class ListPaging {
  private constructor(
    readonly paged: boolean,
    readonly pageSize: number | undefined,
    private readonly offset: number,
  ) {}

  static fromQuery(q: Record<string, unknown>): ListPaging {
    const int = (value: unknown, name: string): number | undefined => {
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !/^\d+$/.test(value))
        throw new InputError(`Invalid ${name}, must be a non-negative integer`);
      return Number(value);
    };
    if (q.after !== undefined) {
      if (typeof q.after !== 'string') throw new InputError('Invalid after');
      let decoded: { offset?: unknown; limit?: unknown };
      try {
        decoded = JSON.parse(Buffer.from(q.after, 'base64url').toString('utf8')) as typeof decoded;
      } catch {
        throw new InputError('Invalid after: not a cursor of this catalog');
      }
      if (!Number.isSafeInteger(decoded.offset) || (decoded.offset as number) < 0)
        throw new InputError('Invalid after cursor');
      const limit =
        int(q.limit, 'limit') ??
        (Number.isSafeInteger(decoded.limit) ? (decoded.limit as number) : undefined);
      return new ListPaging(true, limit, decoded.offset as number);
    }
    const limit = int(q.limit, 'limit');
    const offset = int(q.offset, 'offset');
    return new ListPaging(limit !== undefined || offset !== undefined, limit, offset ?? 0);
  }

  /** What to read: one more than the page, to know whether a next page exists. */
  window(): { limit?: number; offset?: number } {
    if (!this.paged) return {};
    return { limit: this.pageSize === undefined ? undefined : this.pageSize + 1, offset: this.offset };
  }

  next(read: number): { link(originalUrl: string): string } | undefined {
    if (this.pageSize === undefined || read <= this.pageSize) return undefined;
    const after = Buffer.from(
      JSON.stringify({ offset: this.offset + this.pageSize, limit: this.pageSize }),
    ).toString('base64url');
    return {
      link: (originalUrl: string) => {
        const url = new URL(originalUrl, 'http://placeholder');
        url.searchParams.delete('offset');
        url.searchParams.set('after', after);
        return `${url.pathname}${url.search}`;
      },
    };
  }
}
