import { Module } from '@nestjs/common';

/** Push ingestion over REST and gRPC (being built). */
@Module({})
export class PushModule {}
