import { InputError } from '../errors/errors.js';
import type { Config } from './config.js';

export type PortalEnvironment = 'development' | 'production' | 'test';

/** `portal.environment`, else 'production' when NODE_ENV=production, else 'development'. */
export function portalEnvironment(config: Config, env: NodeJS.ProcessEnv = process.env): PortalEnvironment {
  const configured = config.getOptionalString('portal.environment');
  if (configured === undefined) return env.NODE_ENV === 'production' ? 'production' : 'development';
  if (configured === 'development' || configured === 'production' || configured === 'test') return configured;
  throw new InputError(
    `Invalid portal.environment '${configured}', expected development, production or test`,
  );
}
