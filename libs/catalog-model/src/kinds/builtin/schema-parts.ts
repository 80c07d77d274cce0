// Building blocks of the built-in spec schemas.

/** A non-empty string. */
export const text = { type: 'string', minLength: 1 } as const;

/** A list of non-empty strings. */
export const textList = { type: 'array', items: text } as const;

/** A person's or group's profile. */
export const profile = {
  type: 'object',
  properties: { displayName: text, email: text, picture: text },
} as const;

/** The apiVersions of the kinds in the `backstage.io` group. */
export const BACKSTAGE_API_VERSIONS = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'];

/** An object schema with required fields and properties. */
export function objectSchema(
  required: string[],
  properties: Record<string, object>,
): Record<string, unknown> {
  return { type: 'object', required, properties };
}
