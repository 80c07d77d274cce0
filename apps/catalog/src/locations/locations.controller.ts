import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, NotFoundError, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import {
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '../permissions/permissions.js';
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
    private readonly permissions: CatalogPermissions,
  ) {}

  /** `catalog.location.read` denied: single locations are not found (lists are empty). */
  private async assertCanRead(principal: Principal | undefined, what: string): Promise<void> {
    if (!(await this.permissions.canReadLocations(principal))) throw new NotFoundError(`No location ${what}`);
  }

  /** 201 `{location, entities, exists?}`; `?dryRun=true` writes nothing. */
  @Post('locations')
  @HttpCode(201)
  async create(
    @Body() body: unknown,
    @Query() q: QueryParams,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const dryRun = parseDryRun(q.dryRun);
    const onConflict = parseOnConflict(q.onConflict);
    await this.permissions.authorize(principal, catalogLocationCreatePermission);
    return this.locations.createLocation(parseLocationInput(body), { dryRun, onConflict });
  }

  /** 200 `[{data: Location}]` (the client unwraps `data`). */
  @Get('locations')
  async list(@CurrentPrincipal() principal: Principal | undefined) {
    if (!(await this.permissions.canReadLocations(principal))) return [];
    return (await this.locations.listLocations()).map((data) => ({ data }));
  }

  @Post('locations/by-query')
  @HttpCode(200)
  async query(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const request = parseLocationQueryRequest(body);
    if (!(await this.permissions.canReadLocations(principal))) {
      return { items: [], totalItems: 0, pageInfo: {} };
    }
    return this.locations.queryLocations(request);
  }

  @Get('locations/by-entity/:kind/:namespace/:name')
  async byEntity(
    @Param('kind') kind: string,
    @Param('namespace') namespace: string,
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const ref = entityRefFromPath(kind, namespace, name);
    await this.assertCanRead(principal, `for entity ${ref}`);
    return this.locations.getLocationByEntity(ref);
  }

  @Get('locations/:id')
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal | undefined) {
    await this.assertCanRead(principal, `with id ${id}`);
    return this.locations.getLocation(id);
  }

  @Put('locations/:id')
  @HttpCode(200)
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const input = parseLocationInput(body);
    // Replacing a location's target is creating a new one where the old one was.
    await this.permissions.authorize(principal, catalogLocationCreatePermission);
    return this.locations.updateLocation(id, input);
  }

  @Delete('locations/:id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @CurrentPrincipal() principal: Principal | undefined): Promise<void> {
    await this.permissions.authorize(principal, catalogLocationDeletePermission);
    await this.locations.deleteLocation(id);
  }

  @Post('analyze-location')
  @HttpCode(200)
  async analyze(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined) {
    const request = parseAnalyzeRequest(body);
    await this.permissions.authorize(principal, catalogLocationAnalyzePermission);
    return this.analyzer.analyze(request);
  }
}
