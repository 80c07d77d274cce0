import { randomUUID } from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@portal/platform';
import type { DataSource } from 'typeorm';
import { validateAgainstRules, type RuleMetadata } from '../policy/conditions.js';
import {
  parseConditionalGrant,
  parseGrant,
  parseRole,
  PolicyValidationError,
} from '../policy/policy-document.js';
import type { ConditionalGrant, Grant, PolicySet, Role } from '../policy/types.js';
import { bumpPolicyVersion } from './operations/bump-policy-version.js';
import { deleteGrant } from './operations/delete-grant.js';
import { deleteRole } from './operations/delete-role.js';
import { insertAudit } from './operations/insert-audit.js';
import { insertGrant } from './operations/insert-grant.js';
import { listAudit, type AuditRecord } from './operations/list-audit.js';
import { listRoles } from './operations/list-roles.js';
import { upsertRole } from './operations/upsert-role.js';
import { inTransaction, withConnection, type Sql } from './sql.js';

export interface PolicyStoreOptions {
  dataSource: DataSource;
  /** The policy file's part (read-only through the API). */
  filePolicy: () => PolicySet;
  /** The rules a plugin published for a resource type, when the registry knows them. */
  rulesFor?: (resourceType: string) => RuleMetadata[] | undefined;
  /** Called after a change committed (to reload at once on this replica). */
  onChanged?: () => Promise<void> | void;
}

function parsed<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof PolicyValidationError) throw new InputError(err.message);
    throw err;
  }
}

const publicRole = (r: Role) => ({
  name: r.name,
  description: r.description,
  members: r.members,
  source: r.source,
});

/**
 * Runtime changes to the policy through the admin API: each in one transaction that writes the
 * change, its audit record (who, what, before, after) and a new policy version (which every
 * replica follows). The policy file's roles and grants cannot be changed here (409).
 */
export class PolicyStore {
  constructor(private readonly options: PolicyStoreOptions) {}

  private fileRole(name: string): Role | undefined {
    return this.options.filePolicy().roles.find((r) => r.name === name);
  }

  private async change(
    actor: string,
    work: (sql: Sql) => Promise<{ action: string; subject: string; before: unknown; after: unknown }>,
  ): Promise<void> {
    await inTransaction(this.options.dataSource, async (sql) => {
      const entry = await work(sql);
      await insertAudit(sql, { actor, ...entry });
      await bumpPolicyVersion(sql);
    });
    await this.options.onChanged?.();
  }

  private async dbRole(sql: Sql, name: string): Promise<Role | undefined> {
    return (await listRoles(sql)).find((r) => r.name === name);
  }

  async createRole(actor: string, body: unknown): Promise<Role> {
    const role = parsed(() => parseRole(body, 'role', 'database'));
    if (this.fileRole(role.name))
      throw new ConflictError(`Role '${role.name}' is defined in the policy file`);
    await this.change(actor, async (sql) => {
      await sql.rows('SELECT pg_advisory_xact_lock(hashtext($1))', [`permission-role-${role.name}`]);
      if (await this.dbRole(sql, role.name)) throw new ConflictError(`Role '${role.name}' already exists`);
      await upsertRole(sql, role);
      return { action: 'role.create', subject: role.name, before: null, after: publicRole(role) };
    });
    return role;
  }

  async updateRole(actor: string, name: string, body: unknown): Promise<Role> {
    const role = parsed(() =>
      parseRole({ ...(typeof body === 'object' && body ? body : {}), name }, 'role', 'database'),
    );
    if (typeof body === 'object' && body && 'name' in body && (body as { name: unknown }).name !== name) {
      throw new InputError('role.name must match the name in the path');
    }
    if (this.fileRole(name))
      throw new ConflictError(`Role '${name}' is defined in the policy file and cannot be changed here`);
    await this.change(actor, async (sql) => {
      await sql.rows('SELECT pg_advisory_xact_lock(hashtext($1))', [`permission-role-${name}`]);
      const before = await this.dbRole(sql, name);
      if (!before) throw new NotFoundError(`No role '${name}'`);
      await upsertRole(sql, role);
      return { action: 'role.update', subject: name, before: publicRole(before), after: publicRole(role) };
    });
    return role;
  }

  async deleteRole(actor: string, name: string): Promise<void> {
    if (this.fileRole(name))
      throw new ConflictError(`Role '${name}' is defined in the policy file and cannot be deleted here`);
    await this.change(actor, async (sql) => {
      const before = await this.dbRole(sql, name);
      if (!before || !(await deleteRole(sql, name))) throw new NotFoundError(`No role '${name}'`);
      return { action: 'role.delete', subject: name, before: publicRole(before), after: null };
    });
  }

  private async roleExists(sql: Sql, name: string): Promise<boolean> {
    return this.fileRole(name) !== undefined || (await this.dbRole(sql, name)) !== undefined;
  }

  async createGrant(actor: string, body: unknown): Promise<Grant> {
    const grant = parsed(() => parseGrant(body, 'grant', 'database', `grant-${randomUUID()}`));
    await this.change(actor, async (sql) => {
      if (!(await this.roleExists(sql, grant.role)))
        throw new InputError(`grant.role: no role '${grant.role}'`);
      await insertGrant(sql, 'grant', grant);
      return { action: 'grant.create', subject: grant.id, before: null, after: grant };
    });
    return grant;
  }

  async createCondition(actor: string, body: unknown): Promise<ConditionalGrant> {
    const grant = parsed(() =>
      parseConditionalGrant(body, 'condition', 'database', `condition-${randomUUID()}`),
    );
    try {
      validateAgainstRules(
        grant.conditions,
        grant.resourceType,
        this.options.rulesFor?.(grant.resourceType),
        'condition.conditions',
      );
    } catch (err) {
      throw new InputError((err as Error).message);
    }
    await this.change(actor, async (sql) => {
      if (!(await this.roleExists(sql, grant.role)))
        throw new InputError(`condition.role: no role '${grant.role}'`);
      await insertGrant(sql, 'condition', grant);
      return { action: 'condition.create', subject: grant.id, before: null, after: grant };
    });
    return grant;
  }

  async deleteGrant(actor: string, kind: 'grant' | 'condition', id: string): Promise<void> {
    if (id.startsWith('file-'))
      throw new ConflictError(`'${id}' is defined in the policy file and cannot be deleted here`);
    await this.change(actor, async (sql) => {
      const before = await deleteGrant(sql, kind, id);
      if (!before) throw new NotFoundError(`No ${kind === 'grant' ? 'grant' : 'conditional grant'} '${id}'`);
      return { action: `${kind}.delete`, subject: id, before, after: null };
    });
  }

  audit(options: { limit: number; beforeId?: number }): Promise<AuditRecord[]> {
    return withConnection(this.options.dataSource, (sql) => listAudit(sql, options));
  }
}
