import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import type { MutationSummary } from '../ingestion/entity-provider.js';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityCreatePermission } from '../permissions/permissions.js';
import { parsePushBody, PushService } from './push-service.js';

/** Push ingestion over REST: `POST /api/catalog/push/{provider}` with a full or delta mutation. */
@Controller('api/catalog/push')
export class PushController {
  constructor(
    private readonly push: PushService,
    private readonly permissions: CatalogPermissions,
  ) {}

  @Post(':provider')
  @HttpCode(200)
  async apply(
    @Param('provider') provider: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<MutationSummary> {
    const mutation = parsePushBody(body);
    await this.permissions.authorize(principal, catalogEntityCreatePermission);
    return this.push.apply(provider, mutation, principal);
  }
}
