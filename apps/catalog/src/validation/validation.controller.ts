import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { KindRegistry } from '@portal/catalog-model';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import { CatalogPermissions } from '../permissions/catalog-permissions.js';
import { catalogEntityValidatePermission } from '../permissions/permissions.js';
import { validateEntityRequest } from './validate-entity.js';

@Controller('api/catalog')
export class ValidationController {
  constructor(
    private readonly kinds: KindRegistry,
    private readonly permissions: CatalogPermissions,
  ) {}

  /**
   * 200 with no body when valid; 400 `{errors}` otherwise (what catalog-client expects). Needs
   * `catalog.entity.validate` (403 when denied).
   */
  @Post('validate-entity')
  @HttpCode(200)
  async validate(
    @Body() body: unknown,
    @Res() res: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    await this.permissions.authorize(principal, catalogEntityValidatePermission);
    const errors = validateEntityRequest(body, this.kinds);
    if (errors.length) res.status(400).json({ errors });
    else res.status(200).end();
  }
}
