// Validation of what the location endpoints accept: each problem is an InputError naming the part.
import { InputError } from '@portal/platform';
import type { LocationSpec } from '../processing/location-ref.js';

/** Backstage's `LocationInput`: `{type, target, presence?}`, no other keys. */
export interface LocationInput extends LocationSpec {
  presence?: 'required' | 'optional';
}

const MAX_TARGET_LENGTH = 4096;

/** Whether the text holds a C0 control character (newlines, NUL...), which no target or ref needs. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

export function requireObject(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function rejectUnknownKeys(body: Record<string, unknown>, allowed: string[], name: string): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    throw new InputError(
      `${name} has unknown ${unknown.length > 1 ? 'keys' : 'key'} ${unknown.map((k) => `'${k}'`).join(', ')}; allowed are ${allowed.join(', ')}`,
    );
  }
}

function nonEmptyString(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value.trim()) throw new InputError(`${name} must be a non-empty string`);
  if (value.length > MAX_TARGET_LENGTH)
    throw new InputError(`${name} is longer than ${MAX_TARGET_LENGTH} characters`);
  if (hasControlCharacter(value)) throw new InputError(`${name} contains control characters`);
  return value;
}

/** A location body as Backstage validates it (strict): `name` prefixes the messages (`location`). */
export function parseLocationInput(value: unknown, name = 'Request body'): LocationInput {
  const body = requireObject(value, name);
  rejectUnknownKeys(body, ['type', 'target', 'presence'], name);
  const prefix = name === 'Request body' ? '' : `${name}.`;
  const type = nonEmptyString(body.type, `${prefix}type`);
  const target = nonEmptyString(body.target, `${prefix}target`);
  if (body.presence !== undefined && body.presence !== 'required' && body.presence !== 'optional') {
    throw new InputError(`${prefix}presence must be 'required' or 'optional'`);
  }
  return { type, target, ...(body.presence ? { presence: body.presence as 'required' | 'optional' } : {}) };
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InputError(`${name} must be given once, as a string`);
  return value;
}

/** `?dryRun=` as Backstage reads it (yn): true/false, yes/no, 1/0, on/off; absent = false. */
export function parseDryRun(value: unknown): boolean {
  const text = single(value, 'dryRun');
  if (text === undefined || text === '') return false;
  const normalized = text.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 'on'].includes(normalized)) return true;
  if (['false', 'no', 'n', '0', 'off'].includes(normalized)) return false;
  throw new InputError(`Invalid dryRun '${text}', must be true or false`);
}

/** `?onConflict=reject|refresh` (default reject). */
export function parseOnConflict(value: unknown): 'reject' | 'refresh' {
  const text = single(value, 'onConflict');
  if (text === undefined || text === '') return 'reject';
  if (text === 'reject' || text === 'refresh') return text;
  throw new InputError(`Invalid onConflict '${text}', must be 'reject' or 'refresh'`);
}

/** `POST /refresh`: `{entityRef, authorizationToken?}`. */
export function parseRefreshBody(value: unknown): string {
  const body = requireObject(value ?? null, 'Request body');
  if (typeof body.entityRef !== 'string' || !body.entityRef.trim()) {
    throw new InputError('entityRef must be an entity ref string, e.g. component:default/my-service');
  }
  if (body.authorizationToken !== undefined && typeof body.authorizationToken !== 'string') {
    throw new InputError('authorizationToken must be a string');
  }
  return body.entityRef;
}

/** `POST /analyze-location`: `{location: LocationInput, catalogFilename?}`. */
export function parseAnalyzeRequest(value: unknown): { location: LocationInput; catalogFilename?: string } {
  const body = requireObject(value, 'Request body');
  rejectUnknownKeys(body, ['location', 'catalogFilename'], 'Request body');
  const location = parseLocationInput(body.location, 'location');
  if (body.catalogFilename === undefined) return { location };
  const catalogFilename = nonEmptyString(body.catalogFilename, 'catalogFilename');
  if (catalogFilename.includes('..') || catalogFilename.startsWith('/') || catalogFilename.includes('\\')) {
    throw new InputError('catalogFilename must be a relative path inside the location, without ..');
  }
  return { location, catalogFilename };
}

/** The `{kind}/{namespace}/{name}` path segments of an entity route, checked and lowercased. */
export function entityRefFromPath(kind: string, namespace: string, name: string): string {
  for (const [part, value] of Object.entries({ kind, namespace, name })) {
    if (!value || value.length > 253 || hasControlCharacter(value) || /[/:]/.test(value)) {
      throw new InputError(`Invalid ${part} '${value}' in the entity path`);
    }
  }
  return `${kind}:${namespace}/${name}`.toLowerCase();
}
