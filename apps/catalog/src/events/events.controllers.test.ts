import { EventEmitter } from 'node:events';
import { PermissionsService, type Logger } from '@portal/platform';
import type { Request, Response } from 'express';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { truncateAll, useTestDatabase } from '../processing/testing/seed.js';
import { ChangeStream } from './change-stream.js';
import { EntityHistory } from './entity-history.js';
import { EventStreamReader } from './event-stream-reader.js';
import { EventsController } from './events.controller.js';
import { EventsGrpcController } from './events.grpc.controller.js';
import { StreamHorizon } from './stream-horizon.js';
import { eventually, insertEvent } from './testing/events.js';
import { StreamAccess } from './live-read-access.js';

/** Permissions disabled: every read allowed (the default). */
const allowAll = () =>
  new CatalogPermissions(new PermissionsService({ enabled: false, grpcClients: { unary: () => never() } }), {
    byRefs: () => never(),
    byUid: () => never(),
  });
const streamAccess = () => new StreamAccess((principal) => allowAll().readAccess(principal));
const never = (): never => {
  throw new Error('not expected');
};

const logger = { warn: () => undefined, info: () => undefined } as unknown as Logger;

/** A transport that is full after every write until told to drain. */
class SlowTransport extends EventEmitter {
  writableNeedDrain = true;
  destroyed = false;
  readonly written: string[] = [];
  headers?: Record<string, string>;
  ended = false;

  write(chunk: unknown): boolean {
    this.written.push(String(chunk));
    return false;
  }
  writeHead(_status: number, headers: Record<string, string>): void {
    this.headers = headers;
  }
  end(): void {
    this.ended = true;
  }
}

describe('the stream controllers', () => {
  const db = useTestDatabase();
  let stream: ChangeStream;

  beforeEach(async () => {
    const { dataSource } = db();
    await truncateAll(dataSource);
    stream = new ChangeStream({
      reader: new EventStreamReader(dataSource, new StreamHorizon(dataSource)),
      logger,
      pollIntervalMs: 50,
      bufferSize: 5,
    });
    stream.start();
    for (let i = 0; i < 20; i++) await insertEvent(dataSource, `component:default/c${i}`);
  });
  afterEach(() => stream.stop());

  it('gRPC: takes no further event while the call is not drained; ends on cancel', async () => {
    const call = new SlowTransport();
    const messages: string[] = [];
    const observable = new EventsGrpcController(stream, streamAccess()).watchEntities(
      { cursor: '0', filterJson: '' },
      undefined,
      call as never,
    );
    const subscription = observable.subscribe((message) => messages.push(message.entityRef));
    await eventually('the first event', () => messages.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(messages).toHaveLength(1);
    call.emit('drain');
    await eventually('the second event', () => messages.length === 2);
    expect(messages).toEqual(['component:default/c0', 'component:default/c1']);
    expect(stream.subscriberCount).toBe(1);
    subscription.unsubscribe(); // what NestJS does when the client cancels
    await eventually('the subscription to close', () => stream.subscriberCount === 0);
  });

  it('gRPC: refuses a malformed cursor or filter before streaming', () => {
    const controller = new EventsGrpcController(stream, streamAccess());
    expect(() => controller.watchEntities({ cursor: '1x', filterJson: '' })).toThrow(/cursor/);
    expect(() => controller.watchEntities({ cursor: '', filterJson: '{"spec": 1}' })).toThrow(/filter_json/);
  });

  it('SSE: headers, frames with id/event/data, waits for drain, ends when the client goes', async () => {
    const res = new SlowTransport();
    const req = { headers: { 'last-event-id': '' } } as unknown as Request;
    const done = new EventsController(
      stream,
      new EntityHistory(db().dataSource),
      allowAll(),
      streamAccess(),
    ).events({ cursor: '0', kind: 'Component' }, req, res as unknown as Response, undefined);
    await eventually('the first frame', () => res.written.length === 2);
    expect(res.headers).toMatchObject({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'X-Accel-Buffering': 'no',
    });
    expect(res.headers!['Cache-Control']).toContain('no-cache');
    expect(res.written[0]).toBe(': connected\n\n');
    expect(res.written[1]).toMatch(
      /^id: \d+\nevent: upserted\ndata: \{.*"entityRef":"component:default\/c0".*\}\n\n$/,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(res.written).toHaveLength(2);
    res.emit('drain');
    await eventually('the next frame', () => res.written.length === 3);
    res.emit('close');
    await done;
    expect(stream.subscriberCount).toBe(0);
  });

  it("SSE: ends the stream when the caller's access cannot be decided again (fail closed)", async () => {
    const res = new SlowTransport();
    res.write = (chunk: unknown) => {
      res.written.push(String(chunk));
      return true;
    };
    let calls = 0;
    const failing = new StreamAccess(async () => {
      if (++calls > 1) throw new Error('permission service unavailable');
      return { filter: undefined, allows: () => true };
    }, 50);
    const done = new EventsController(stream, new EntityHistory(db().dataSource), allowAll(), failing).events(
      { cursor: '' },
      { headers: {} } as unknown as Request,
      res as unknown as Response,
      undefined,
    );
    await eventually('the stream to end', () => res.ended);
    await done;
    expect(calls).toBe(2);
    expect(stream.subscriberCount).toBe(0);
  });
});
