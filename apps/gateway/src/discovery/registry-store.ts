import type { discoveryV1 } from '@portal/proto';

export type Instance = discoveryV1.Instance;

/** Where the registry keeps live instances: this process's memory, or Redis shared by replicas. */
export interface RegistryStore {
  put(instance: Instance, ttlMs: number): Promise<void>;
  /** Extends the instance's lease; undefined when the store does not know it (expired, restarted). */
  touch(pluginId: string, instanceId: string, ttlMs: number, now: number): Promise<Instance | undefined>;
  delete(pluginId: string, instanceId: string): Promise<void>;
  /** Every instance whose lease has not run out. */
  all(now: number): Promise<Instance[]>;
  close(): Promise<void>;
}

export function instanceKey(pluginId: string, instanceId: string): string {
  return `${pluginId}/${instanceId}`;
}
