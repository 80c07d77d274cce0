import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityCreatePermission } from '../permissions/permissions.js';
import { KindsService, type KindView } from './kinds-service.js';

/** The kinds API: built-in, configured and runtime kinds; runtime ones can be stored and removed. */
@Controller('api/catalog/kinds')
export class KindsController {
  constructor(
    private readonly kinds: KindsService,
    private readonly permissions: CatalogPermissions,
  ) {}

  @Get()
  list(): { items: KindView[] } {
    return { items: this.kinds.list() };
  }

  @Get(':kind')
  get(@Param('kind') kind: string): KindView {
    return this.kinds.get(kind);
  }

  /** 201 for a new kind, 200 for a replaced (or unchanged) one; the body is the stored kind. */
  @Put(':kind')
  async put(
    @Param('kind') kind: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KindView> {
    // Defining what entities may be is part of creating them: `catalog.entity.create`.
    await this.permissions.authorize(principal, catalogEntityCreatePermission);
    const { created, view } = await this.kinds.put(kind, body, principal);
    res.status(created ? 201 : 200);
    return view;
  }

  @Delete(':kind')
  @HttpCode(204)
  async remove(
    @Param('kind') kind: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    await this.permissions.authorize(principal, catalogEntityCreatePermission);
    await this.kinds.remove(kind, principal);
  }
}
