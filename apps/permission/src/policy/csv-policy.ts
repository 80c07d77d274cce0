import { CsvLineError, splitCsvLine } from './csv-line.js';
import { PolicyValidationError } from './policy-document.js';
import type { Action, Effect, Grant, PolicySet, Role } from './types.js';

// The shapes Red Hat Developer Hub's RBAC backend accepts (policies-validation.ts there).
const ROLE_REF = /^role:([a-z0-9]+(?:-[a-z0-9]+)*)\/([a-zA-Z0-9]+(?:[._-][a-zA-Z0-9]+)*)$/;
const MEMBER_REF = /^(user|group):[a-z0-9]+(?:-[a-z0-9]+)*\/[a-zA-Z0-9]+(?:[._-][a-zA-Z0-9]+)*$/i;
const PERMISSION_NAME = /^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)+$/;
const RESOURCE_TYPE = /^[a-z0-9][a-z0-9_-]*$/;
const CSV_ACTIONS: readonly Action[] = ['create', 'read', 'update', 'delete', 'use'];
const CSV_EFFECTS: readonly Effect[] = ['allow', 'deny'];
const MAX_NAME = 63;

/**
 * The policy's role name for a CSV role ref: `role:default/<name>` → `<name>`, any other
 * namespace `role:<ns>/<name>` → `<ns>:<name>` (the policy's names have no `/`).
 */
export function roleNameOf(ref: string): string | undefined {
  const match = ROLE_REF.exec(ref);
  if (!match || match[2]!.length > MAX_NAME || match[1]!.length > MAX_NAME) return undefined;
  return match[1] === 'default' ? match[2]! : `${match[1]}:${match[2]}`;
}

interface Line {
  no: number;
  fields: string[];
}

function fail(line: number, message: string): never {
  throw new PolicyValidationError(`line ${line}: ${message}`);
}

function role(line: Line, field: string, what: string): string {
  const name = roleNameOf(field);
  if (name === undefined) fail(line.no, `${what} '${field}' must be a role ref like role:default/developers`);
  return name;
}

/** `p, <role>, <permission name or resource type>, <action>, allow|deny` */
function policyLine(line: Line): { grant: Omit<Grant, 'id'>; key: string } {
  if (line.fields.length !== 5)
    fail(
      line.no,
      `a policy line has 5 fields (p, role, permission or resource type, action, effect), found ${line.fields.length}`,
    );
  const [, roleRef, object, action, effect] = line.fields as [string, string, string, string, string];
  const roleName = role(line, roleRef, 'the role');
  let target: Pick<Grant, 'permission' | 'resourceType'>;
  if (object.includes('.')) {
    if (!PERMISSION_NAME.test(object))
      fail(
        line.no,
        `'${object}' is not a permission name (CSV lines name one permission or resource type; patterns are for YAML policy files)`,
      );
    target = { permission: object };
  } else {
    if (!RESOURCE_TYPE.test(object))
      fail(
        line.no,
        `'${object}' is neither a permission name (like catalog.entity.read) nor a resource type (like catalog-entity)`,
      );
    target = { resourceType: object };
  }
  if (!CSV_ACTIONS.includes(action as Action))
    fail(line.no, `the action '${action}' must be one of ${CSV_ACTIONS.join(', ')}`);
  if (!CSV_EFFECTS.includes(effect as Effect)) fail(line.no, `the effect '${effect}' must be allow or deny`);
  return {
    grant: {
      role: roleName,
      ...target,
      action: action as Action,
      ...(effect === 'deny' ? { effect: 'deny' as const } : {}),
      source: 'file',
    },
    key: `${roleName}\u0000${object}\u0000${action}`,
  };
}

/** `g, <user or group ref>, <role>` */
function groupingLine(line: Line): { member: string; role: string } {
  if (line.fields.length !== 3)
    fail(line.no, `a role line has 3 fields (g, user or group ref, role), found ${line.fields.length}`);
  const [, member, roleRef] = line.fields as [string, string, string];
  if (member.toLowerCase().startsWith('role:'))
    fail(line.no, `roles cannot be members of roles ('${member}'): role inheritance is not supported`);
  if (!MEMBER_REF.test(member))
    fail(
      line.no,
      `the member '${member}' must be a full user or group ref like user:default/jane or group:default/team-a`,
    );
  if (roleNameOf(roleRef) === undefined) {
    const kind = roleRef.split(':')[0]?.toLowerCase();
    if (kind === 'group' || kind === 'user')
      fail(
        line.no,
        `'${roleRef}' is not a role: group membership comes from the catalog, not the policy file`,
      );
  }
  // Member refs are matched case-insensitively; they are kept lowercase as Red Hat Developer Hub does.
  return { member: member.toLowerCase(), role: role(line, roleRef, 'the role') };
}

function lines(text: string): Line[] {
  const result: Line[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const trimmed = raw.trim();
      if (!trimmed || trimmed.startsWith('#')) return;
      try {
        result.push({ no: i + 1, fields: splitCsvLine(raw) });
      } catch (err) {
        if (err instanceof CsvLineError) fail(i + 1, err.message);
        throw err;
      }
    });
  return result;
}

/**
 * Parses a policy file in the CSV format of Red Hat Developer Hub and Backstage's community RBAC
 * plugin (`p` lines grant or deny a permission or resource type and action to a role; `g` lines
 * make a user or group a member of a role; `#` comments and blank lines are skipped). Roles are the
 * ones the lines name, in order of appearance. Any bad line refuses the whole file, naming the
 * line: a policy is never loaded in part.
 */
export function parseCsvPolicy(text: string): PolicySet {
  const roles = new Map<string, Role>();
  const roleOf = (name: string): Role => {
    let r = roles.get(name);
    if (!r) roles.set(name, (r = { name, members: [], source: 'file' }));
    return r;
  };
  const grants: Grant[] = [];
  const seen = new Map<string, { line: number; effect: Effect }>();
  for (const line of lines(text)) {
    const type = line.fields[0];
    if (type === 'p') {
      const { grant, key } = policyLine(line);
      const effect = grant.effect ?? 'allow';
      const before = seen.get(key);
      if (before && before.effect !== effect)
        fail(
          line.no,
          `it ${effect === 'deny' ? 'denies' : 'allows'} what line ${before.line} ${before.effect === 'deny' ? 'denies' : 'allows'} (the same role, permission and action)`,
        );
      roleOf(grant.role);
      if (before) continue; // the same line twice: once is enough
      seen.set(key, { line: line.no, effect });
      grants.push({ id: `file-line-${line.no}`, ...grant });
    } else if (type === 'g') {
      const { member, role: name } = groupingLine(line);
      const r = roleOf(name);
      if (!r.members.includes(member)) r.members.push(member);
    } else {
      fail(line.no, `a line starts with p (a policy) or g (a role member), not '${type ?? ''}'`);
    }
  }
  return { roles: [...roles.values()], grants, conditions: [] };
}
