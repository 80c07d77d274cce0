import { Module } from '@nestjs/common';

/** The change stream (gRPC WatchEntities, SSE) and entity history (being built). */
@Module({})
export class EventsModule {}
