import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AllowPrincipals } from '@portal/platform';
import { CatalogPermissions } from './catalog-permissions.js';

/** The routes every permission-aware Backstage plugin serves, under `/api/catalog`. */
@Controller('api/catalog/.well-known/backstage/permissions')
export class PermissionsController {
  constructor(private readonly permissions: CatalogPermissions) {}

  /** `{permissions, rules}`: what the permission service collects to build and check policies. */
  @Get('metadata')
  metadata() {
    return this.permissions.metadata();
  }

  /** Only services (the permission service) may ask: it reveals whether entities match conditions. */
  @Post('apply-conditions')
  @HttpCode(200)
  @AllowPrincipals('service')
  applyConditions(@Body() body: unknown) {
    return this.permissions.applyConditions(body);
  }
}
