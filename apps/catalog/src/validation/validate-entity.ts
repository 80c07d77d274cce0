import { validateEntity, type KindRegistry } from '@portal/catalog-model';

export interface SerializedError {
  name: string;
  message: string;
}

/**
 * Backstage's POST /validate-entity: `location` must be a `url:` location ref; every problem of the
 * entity is one error. Returns the errors (none = valid).
 */
export function validateEntityRequest(body: unknown, kinds: KindRegistry): SerializedError[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [{ name: 'InputError', message: 'Request body must be a JSON object with entity and location' }];
  }
  const { entity, location } = body as { entity?: unknown; location?: unknown };
  const errors: SerializedError[] = [];
  if (typeof location !== 'string' || !/^url:\S+$/.test(location)) {
    errors.push({
      name: 'InputError',
      message: "location must be a location ref of type url ('url:https://…')",
    });
  }
  if (entity === undefined) {
    errors.push({ name: 'InputError', message: 'entity is required' });
    return errors;
  }
  for (const problem of validateEntity(entity, kinds)) {
    errors.push({
      name: 'InputError',
      message: problem.path ? `${problem.path}: ${problem.message}` : problem.message,
    });
  }
  return errors;
}
