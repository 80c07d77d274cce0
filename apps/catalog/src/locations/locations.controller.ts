import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  entityRefFromPath,
  parseAnalyzeRequest,
  parseDryRun,
  parseLocationInput,
  parseOnConflict,
} from './location-input.js';
import { LocationAnalyzer } from './location-analyzer.js';
import { parseLocationQueryRequest } from './location-query.js';
import { LocationService } from './location-service.js';

type QueryParams = Record<string, unknown>;

/** Backstage's location endpoints and analyze-location: the controller translates, LocationService decides. */
@Controller('api/catalog')
export class LocationsController {
  constructor(
    private readonly locations: LocationService,
    private readonly analyzer: LocationAnalyzer,
  ) {}

  /** 201 `{location, entities, exists?}`; `?dryRun=true` writes nothing. */
  @Post('locations')
  @HttpCode(201)
  create(@Body() body: unknown, @Query() q: QueryParams) {
    const dryRun = parseDryRun(q.dryRun);
    const onConflict = parseOnConflict(q.onConflict);
    return this.locations.createLocation(parseLocationInput(body), { dryRun, onConflict });
  }

  /** 200 `[{data: Location}]` (the client unwraps `data`). */
  @Get('locations')
  async list() {
    return (await this.locations.listLocations()).map((data) => ({ data }));
  }

  @Post('locations/by-query')
  @HttpCode(200)
  query(@Body() body: unknown) {
    return this.locations.queryLocations(parseLocationQueryRequest(body));
  }

  @Get('locations/by-entity/:kind/:namespace/:name')
  byEntity(@Param('kind') kind: string, @Param('namespace') namespace: string, @Param('name') name: string) {
    return this.locations.getLocationByEntity(entityRefFromPath(kind, namespace, name));
  }

  @Get('locations/:id')
  get(@Param('id') id: string) {
    return this.locations.getLocation(id);
  }

  @Put('locations/:id')
  @HttpCode(200)
  update(@Param('id') id: string, @Body() body: unknown) {
    return this.locations.updateLocation(id, parseLocationInput(body));
  }

  @Delete('locations/:id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.locations.deleteLocation(id);
  }

  @Post('analyze-location')
  @HttpCode(200)
  analyze(@Body() body: unknown) {
    return this.analyzer.analyze(parseAnalyzeRequest(body));
  }
}
