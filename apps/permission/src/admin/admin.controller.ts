import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentPrincipal, InputError, type Principal } from '@portal/platform';
import { actorOf } from '../authorize/subject.js';
import { PermissionRuntime } from '../permission-runtime.js';
import type { ConditionalGrant, Grant, Role } from '../policy/types.js';
import { policyReadPermission, policyWritePermission, requireAllowed } from './admin-permissions.js';

/**
 * The policy admin API: roles, grants (`/policies`), conditional grants (`/conditions`), the audit
 * trail and the policy file's status. Reading needs permission.policy.read, changing
 * permission.policy.write (superusers have both). What the policy file defines is read-only here.
 */
@Controller('api/permission')
export class AdminController {
  constructor(@Inject(PermissionRuntime) private readonly runtime: PermissionRuntime) {}

  private read(principal: Principal | undefined) {
    requireAllowed(this.runtime.policy, principal, policyReadPermission);
  }

  private write(principal: Principal | undefined) {
    requireAllowed(this.runtime.policy, principal, policyWritePermission);
  }

  @Get('roles')
  roles(@CurrentPrincipal() principal: Principal | undefined): { items: Role[] } {
    this.read(principal);
    return { items: this.runtime.policy.merged().roles };
  }

  @Post('roles')
  @HttpCode(201)
  createRole(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined): Promise<Role> {
    this.write(principal);
    return this.runtime.store.createRole(actorOf(principal), body);
  }

  @Put('roles/:name')
  updateRole(
    @Param('name') name: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<Role> {
    this.write(principal);
    return this.runtime.store.updateRole(actorOf(principal), name, body);
  }

  @Delete('roles/:name')
  @HttpCode(204)
  async deleteRole(
    @Param('name') name: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    this.write(principal);
    await this.runtime.store.deleteRole(actorOf(principal), name);
  }

  @Get('policies')
  grants(@CurrentPrincipal() principal: Principal | undefined): { items: Grant[] } {
    this.read(principal);
    return { items: this.runtime.policy.merged().grants };
  }

  @Post('policies')
  @HttpCode(201)
  createGrant(@Body() body: unknown, @CurrentPrincipal() principal: Principal | undefined): Promise<Grant> {
    this.write(principal);
    return this.runtime.store.createGrant(actorOf(principal), body);
  }

  @Delete('policies/:id')
  @HttpCode(204)
  async deleteGrant(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    this.write(principal);
    await this.runtime.store.deleteGrant(actorOf(principal), 'grant', id);
  }

  @Get('conditions')
  conditions(@CurrentPrincipal() principal: Principal | undefined): { items: ConditionalGrant[] } {
    this.read(principal);
    return { items: this.runtime.policy.merged().conditions };
  }

  @Post('conditions')
  @HttpCode(201)
  createCondition(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<ConditionalGrant> {
    this.write(principal);
    return this.runtime.store.createCondition(actorOf(principal), body);
  }

  @Delete('conditions/:id')
  @HttpCode(204)
  async deleteCondition(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<void> {
    this.write(principal);
    await this.runtime.store.deleteGrant(actorOf(principal), 'condition', id);
  }

  @Get('audit')
  async audit(
    @Query('limit') limit: string | undefined,
    @Query('before') before: string | undefined,
    @CurrentPrincipal() principal: Principal | undefined,
  ) {
    this.read(principal);
    const n = limit === undefined ? 100 : Number(limit);
    const b = before === undefined ? undefined : Number(before);
    if (!Number.isInteger(n) || n < 1 || n > 1000)
      throw new InputError('limit must be an integer from 1 to 1000');
    if (b !== undefined && (!Number.isInteger(b) || b < 1))
      throw new InputError('before must be a positive integer');
    return { items: await this.runtime.store.audit({ limit: n, beforeId: b }) };
  }

  @Get('policy/status')
  status(@CurrentPrincipal() principal: Principal | undefined) {
    this.read(principal);
    return {
      loaded: this.runtime.policy.isLoaded(),
      version: this.runtime.policy.generation(),
      databaseVersion: this.runtime.sync.currentVersion(),
      file: this.runtime.file.status(),
      superUsers: this.runtime.settings.superUsers.length,
    };
  }

  @Get('registry')
  registry(@CurrentPrincipal() principal: Principal | undefined) {
    this.read(principal);
    return { plugins: this.runtime.registry.list() };
  }
}
