import { Module } from '@nestjs/common';

/** Locations REST API, analyze-location, refresh, entity deletion and ancestry (being built). */
@Module({})
export class LocationsModule {}
