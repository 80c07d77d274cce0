import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, InputError, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { ChangeStream } from './change-stream.js';
import { EntityHistory } from './entity-history.js';
import { decodeEventCursor } from './event-cursor.js';
import { parseEventFilter } from './event-filter.js';
import { StreamAccess } from './live-read-access.js';
import type { StreamEvent } from './event-stream-reader.js';

type QueryParams = Record<string, unknown>;

/** Comment lines that keep idle connections (and the proxies on the way) open. */
export const SSE_HEARTBEAT_MS = 15_000;

function oneString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InputError(`Invalid ${name}, must be given once`);
  return value;
}

function kinds(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).flatMap((v) =>
    typeof v === 'string' ? v.split(',') : [v],
  );
  if (list.some((v) => typeof v !== 'string' || !v.trim())) throw new InputError('Invalid kind parameter');
  return (list as string[]).map((v) => v.trim());
}

function limitParam(value: unknown): number | undefined {
  const text = oneString(value, 'limit');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new InputError('Invalid limit, must be an integer from 1 to 100');
  return Number(text);
}

/** One SSE frame: `id` is the cursor, `event` the type, `data` the event as JSON (one line). */
export function sseFrame(event: StreamEvent): string {
  return `id: ${event.cursor}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The change stream over Server-Sent Events, and entity history: translation only. */
@Controller('api/catalog')
export class EventsController {
  constructor(
    private readonly stream: ChangeStream,
    private readonly history: EntityHistory,
    private readonly permissions: CatalogPermissions,
    private readonly streamAccess: StreamAccess,
  ) {}

  /**
   * `GET /api/catalog/events`: the change stream as SSE. Resumes after `Last-Event-ID` (sent by a
   * reconnecting EventSource; it wins) or `?cursor=`; neither: from now; `0`: from the oldest kept
   * event. `?kind=` (repeated or comma-separated) filters by kind.
   */
  @Get('events')
  async events(
    @Query() q: QueryParams,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    const header = req.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
    const cursor = lastEventId ?? oneString(q.cursor, 'cursor') ?? '';
    if (cursor) decodeEventCursor(cursor, lastEventId ? 'Last-Event-ID' : 'cursor');
    const kind = kinds(q.kind);
    // Decided when the stream opens and again every interval; events of entities the caller may
    // not read are skipped; a decision that cannot be had ends the stream.
    const access = await this.streamAccess.open(principal);
    const subscription = await this.stream.subscribe(cursor, kind ? parseEventFilter({ kind }) : undefined);
    res.on('close', () => subscription.close());
    access.onFailure(() => subscription.close());
    if (res.destroyed) {
      subscription.close();
      access.close();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    // The first bytes go out at once: proxies see the response start, clients know they are connected.
    res.write(': connected\n\n');
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
    try {
      for await (const event of subscription) {
        if (!access.allows(event.entity)) continue;
        if (!res.write(sseFrame(event))) {
          // A slow reader: stop taking events (the subscription stops reading) until the socket drains.
          await Promise.race([
            new Promise((resolve) => res.once('drain', resolve)),
            subscription.whenClosed(),
          ]);
        }
      }
    } catch {
      // The caller's access could not be decided again (fail closed): end the stream; the client's
      // reconnection is answered with the error.
    } finally {
      clearInterval(heartbeat);
      subscription.close();
      access.close();
      if (!res.destroyed) res.end();
    }
  }

  /**
   * Past versions of an entity, newest first; `limit` (default 20, max 100), `before` a cursor.
   * Under a read filter the entity must be readable now (else 404), and past versions the caller
   * could not read are left out.
   */
  @Get('entities/by-name/:kind/:namespace/:name/history')
  async entityHistory(
    @Param('kind') kind: string,
    @Param('namespace') namespace: string,
    @Param('name') name: string,
    @Query() q: QueryParams,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const options = { limit: limitParam(q.limit), before: oneString(q.before, 'before') };
    const access = await this.permissions.readAccess(principal);
    await this.permissions.assertVisible(access, `${kind}:${namespace}/${name}`.toLowerCase());
    const page = await this.history.list(kind, namespace, name, options);
    if (!access.filter) return page;
    return {
      ...page,
      items: page.items.filter((item) => item.entity === null || access.allows(item.entity)),
    };
  }
}
