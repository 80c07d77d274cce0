import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { KindRegistry } from '@portal/catalog-model';
import { validateEntityRequest } from './validate-entity.js';

@Controller('api/catalog')
export class ValidationController {
  constructor(private readonly kinds: KindRegistry) {}

  /** 200 with no body when valid; 400 `{errors}` otherwise (what catalog-client expects). */
  @Post('validate-entity')
  @HttpCode(200)
  validate(@Body() body: unknown, @Res() res: Response): void {
    const errors = validateEntityRequest(body, this.kinds);
    if (errors.length) res.status(400).json({ errors });
    else res.status(200).end();
  }
}
