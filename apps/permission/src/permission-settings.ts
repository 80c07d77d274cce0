import { resolve } from 'node:path';
import { configRootDir, type Config } from '@portal/platform';
import { policyFileFormat } from './policy/policy-file-format.js';

export interface PermissionSettings {
  policyFile?: string;
  superUsers: string[];
  cacheTtlMs: number;
  policyPollMs: number;
  policyFileDebounceMs: number;
  applyConditionsTimeoutMs: number;
  discoverEveryMs: number;
  refreshEveryMs: number;
}

export function readPermissionSettings(config: Config): PermissionSettings {
  const file = config.getOptionalString('permission.policyFile');
  if (file && !policyFileFormat(file))
    throw new Error(
      `Invalid configuration: permission.policyFile must end in .yaml, .yml or .csv (the format is chosen by the extension), got '${file}'`,
    );
  return {
    policyFile: file ? resolve(configRootDir(), file) : undefined,
    superUsers: config.getOptionalStringArray('permission.superUsers') ?? [],
    cacheTtlMs: config.getOptionalNumber('permission.cache.ttlMs') ?? 60_000,
    policyPollMs: config.getOptionalNumber('permission.policyPollMs') ?? 1000,
    policyFileDebounceMs: config.getOptionalNumber('permission.policyFileDebounceMs') ?? 150,
    applyConditionsTimeoutMs: config.getOptionalNumber('permission.applyConditionsTimeoutMs') ?? 5000,
    discoverEveryMs: config.getOptionalNumber('permission.registry.discoverEveryMs') ?? 5000,
    refreshEveryMs: config.getOptionalNumber('permission.registry.refreshEveryMs') ?? 60_000,
  };
}
