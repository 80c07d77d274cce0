import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata, ServerWritableStream } from '@grpc/grpc-js';
import type { catalogV1Nest } from '@portal/proto';
import { principalFromMetadata } from '@portal/platform';
import { Observable } from 'rxjs';
import { ChangeStream, type StreamSubscription } from './change-stream.js';
import { decodeEventCursor } from './event-cursor.js';
import { parseEventFilterJson } from './event-filter.js';
import type { StreamEvent } from './event-stream-reader.js';
import { StreamAccess, type LiveReadAccess } from './live-read-access.js';

export function toEntityEventMessage(event: StreamEvent): catalogV1Nest.EntityEvent {
  return {
    cursor: event.cursor,
    type: event.type,
    entityRef: event.entityRef,
    entityId: event.entityId,
    json: event.entity ? Buffer.from(JSON.stringify(event.entity)) : Buffer.alloc(0),
    source: event.source ?? '',
    createdAt: event.createdAt,
  };
}

/** portal.catalog.v1.CatalogService.WatchEntities: the change stream as a server stream. */
@Controller()
export class EventsGrpcController {
  constructor(
    private readonly stream: ChangeStream,
    private readonly streamAccess: StreamAccess,
  ) {}

  @GrpcMethod('CatalogService', 'WatchEntities')
  watchEntities(
    request: catalogV1Nest.WatchEntitiesRequest,
    metadata?: Metadata,
    call?: ServerWritableStream<unknown, unknown>,
  ): Observable<catalogV1Nest.EntityEvent> {
    // Bad input fails the call at once (INVALID_ARGUMENT), before anything is streamed.
    if (request.cursor) decodeEventCursor(request.cursor);
    const filter = parseEventFilterJson(request.filterJson);
    const principal = metadata ? principalFromMetadata(metadata) : undefined;
    return new Observable<catalogV1Nest.EntityEvent>((subscriber) => {
      let subscription: StreamSubscription | undefined;
      let access: LiveReadAccess | undefined;
      let finished = false;
      void (async () => {
        try {
          // The read access of the user the call is made for (obo), decided when the stream opens
          // and again every interval; a decision that cannot be had fails the call.
          access = await this.streamAccess.open(principal);
          subscription = await this.stream.subscribe(request.cursor, filter);
          access.onFailure(() => subscription?.close());
          if (finished) subscription.close();
          for await (const event of subscription) {
            if (!access.allows(event.entity)) continue;
            subscriber.next(toEntityEventMessage(event));
            // Backpressure: take no further event until the client has read what is queued.
            if (call?.writableNeedDrain) {
              await Promise.race([
                new Promise((resolve) => {
                  call.once('drain', resolve);
                  call.once('close', resolve);
                }),
                subscription.whenClosed(),
              ]);
            }
          }
          if (access.failed) subscriber.error(access.failed);
          else subscriber.complete();
        } catch (error) {
          subscriber.error(error);
        } finally {
          access?.close();
        }
      })();
      return () => {
        finished = true;
        subscription?.close();
        access?.close();
      };
    });
  }
}
