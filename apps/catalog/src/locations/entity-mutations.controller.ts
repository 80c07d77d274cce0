import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityDeletePermission, catalogEntityRefreshPermission } from '../permissions/permissions.js';
import { EntityMutations } from './entity-mutations.js';
import { entityRefFromPath, parseRefreshBody } from './location-input.js';

/** Backstage's entity mutations (delete by uid, refresh) and the ancestry read. */
@Controller('api/catalog')
export class EntityMutationsController {
  constructor(
    private readonly mutations: EntityMutations,
    private readonly permissions: CatalogPermissions,
  ) {}

  /**
   * 204 whether or not the uid named an entity, as in Backstage; 403 without `catalog.entity.delete`
   * on it (under a conditional decision also for a uid that names nothing).
   */
  @Delete('entities/by-uid/:uid')
  @HttpCode(204)
  async deleteByUid(
    @Param('uid') uid: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    await this.permissions.authorizeByUid(principal, catalogEntityDeletePermission, uid);
    await this.mutations.deleteByUid(uid);
  }

  /** Exactly 200 with an empty body: the client accepts no other status. */
  @Post('refresh')
  async refresh(
    @Body() body: unknown,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    const entityRef = parseRefreshBody(body);
    await this.permissions.authorizeByRef(principal, catalogEntityRefreshPermission, entityRef);
    await this.mutations.refresh(entityRef);
    res.status(200).end();
  }

  @Get('entities/by-name/:kind/:namespace/:name/ancestry')
  async ancestry(
    @Param('kind') kind: string,
    @Param('namespace') namespace: string,
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    const ref = entityRefFromPath(kind, namespace, name);
    // The entity itself must be readable (else 404); ancestors the caller may not read are left out.
    const access = await this.permissions.readAccess(principal);
    await this.permissions.assertVisible(access, ref);
    const result = await this.mutations.ancestry(ref);
    if (!access.filter) return result;
    return { ...result, items: result.items.filter((item) => access.allows(item.entity)) };
  }
}
