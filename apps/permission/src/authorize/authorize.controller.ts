import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CurrentPrincipal, InputError, Unauthenticated, type Principal } from '@portal/platform';
import { policyReadPermission, policyWritePermission } from '../admin/admin-permissions.js';
import { PermissionRuntime } from '../permission-runtime.js';
import { parseAuthorizeRequest } from './authorize-request.js';
import type { AuthorizeDecision } from './authorize-service.js';
import { subjectOf } from './subject.js';

/** Backstage's permission API: POST /authorize, GET /health, and this plugin's own metadata. */
@Controller('api/permission')
export class AuthorizeController {
  constructor(@Inject(PermissionRuntime) private readonly runtime: PermissionRuntime) {}

  @Post('authorize')
  @HttpCode(200)
  async authorize(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<{ items: AuthorizeDecision[] }> {
    const queries = parseAuthorizeRequest(body);
    if (principal?.type === 'user') {
      // As Backstage: a user asking directly may not see the conditions of a resource permission.
      const bare = queries.find((q) => q.permission.type === 'resource' && q.resourceRef === undefined);
      if (bare) {
        throw new InputError(
          `Resource permissions require a resourceRef to be set. Direct user requests without a resourceRef are not allowed (item '${bare.id}').`,
        );
      }
    }
    return { items: await this.runtime.authorize.authorize(queries, subjectOf(principal)) };
  }

  @Get('health')
  @Unauthenticated()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('.well-known/backstage/permissions/metadata')
  metadata(): { permissions: unknown[]; rules: unknown[] } {
    return { permissions: [policyReadPermission, policyWritePermission], rules: [] };
  }
}
