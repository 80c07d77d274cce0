import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '@portal/platform';
import { isAllowed, policyReadPermission } from '../admin/admin-permissions.js';
import { subjectOf } from '../authorize/subject.js';
import { PermissionRuntime } from '../permission-runtime.js';
import type { ExplainAnswer } from './explain-service.js';

/** POST /api/permission/explain: a decision and what produced it. */
@Controller('api/permission')
export class ExplainController {
  constructor(@Inject(PermissionRuntime) private readonly runtime: PermissionRuntime) {}

  @Post('explain')
  @HttpCode(200)
  explain(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<ExplainAnswer> {
    return this.runtime.explain.explain(
      body,
      subjectOf(principal),
      isAllowed(this.runtime.policy, principal, policyReadPermission),
    );
  }
}
