import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import type { MutationSummary } from '../ingestion/entity-provider.js';
import { parsePushBody, PushService } from './push-service.js';

/** Push ingestion over REST: `POST /api/catalog/push/{provider}` with a full or delta mutation. */
@Controller('api/catalog/push')
export class PushController {
  constructor(private readonly push: PushService) {}

  @Post(':provider')
  @HttpCode(200)
  apply(
    @Param('provider') provider: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<MutationSummary> {
    return this.push.apply(provider, parsePushBody(body), principal);
  }
}
