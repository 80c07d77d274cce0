import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EntityMutations } from './entity-mutations.js';
import { entityRefFromPath, parseRefreshBody } from './location-input.js';

/** Backstage's entity mutations (delete by uid, refresh) and the ancestry read. */
@Controller('api/catalog')
export class EntityMutationsController {
  constructor(private readonly mutations: EntityMutations) {}

  /** 204 whether or not the uid named an entity, as in Backstage. */
  @Delete('entities/by-uid/:uid')
  @HttpCode(204)
  async deleteByUid(@Param('uid') uid: string): Promise<void> {
    await this.mutations.deleteByUid(uid);
  }

  /** Exactly 200 with an empty body: the client accepts no other status. */
  @Post('refresh')
  async refresh(@Body() body: unknown, @Res() res: Response): Promise<void> {
    await this.mutations.refresh(parseRefreshBody(body));
    res.status(200).end();
  }

  @Get('entities/by-name/:kind/:namespace/:name/ancestry')
  ancestry(@Param('kind') kind: string, @Param('namespace') namespace: string, @Param('name') name: string) {
    return this.mutations.ancestry(entityRefFromPath(kind, namespace, name));
  }
}
