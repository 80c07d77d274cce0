import { InputError } from '../errors/errors.js';

/** `<prefix><pluginId>` with anything PostgreSQL would need quoting for replaced. */
export function databaseNameFor(prefix: string, pluginId: string): string {
  const name = `${prefix}${pluginId}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new InputError(`Cannot derive a database name from prefix '${prefix}' and plugin '${pluginId}'`);
  }
  return name;
}

/** The connection URL with its database replaced. */
export function withDatabase(connection: string, database: string): string {
  const url = new URL(connection);
  url.pathname = `/${database}`;
  return url.toString();
}
