// A deterministic organisation of N entities with a realistic graph, for load tests.
import type { Entity } from '@portal/catalog-model';

/**
 * Groups (one per 40 entities) with users as members, systems owned by groups, components owned by
 * groups, part of a system, depending on two other components and providing an API each fifth.
 */
export function generateEntities(count: number): Entity[] {
  const entities: Entity[] = [];
  const groups = Math.max(1, Math.floor(count / 40));
  const systems = Math.max(1, Math.floor(count / 80));
  const users = Math.max(1, Math.floor(count / 10));
  for (let g = 0; g < groups; g++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `group-${g}`, description: `Team ${g}` },
      spec: { type: 'team', children: [], ...(g > 0 ? { parent: `group-${Math.floor((g - 1) / 4)}` } : {}) },
    });
  }
  for (let u = 0; u < users; u++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: `user-${u}` },
      spec: {
        memberOf: [`group-${u % groups}`],
        profile: { displayName: `User ${u}`, email: `user-${u}@example.com` },
      },
    });
  }
  for (let s = 0; s < systems; s++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: `system-${s}` },
      spec: { owner: `group-${s % groups}` },
    });
  }
  const components = Math.max(1, count - entities.length);
  for (let c = 0; entities.length < count; c++) {
    const providesApi = c % 5 === 0;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `component-${c}`,
        tags: [c % 2 ? 'java' : 'go'],
        description: `Component number ${c}`,
      },
      spec: {
        type: c % 3 ? 'service' : 'website',
        lifecycle: 'production',
        owner: `group-${c % groups}`,
        system: `system-${c % systems}`,
        dependsOn: [
          `component:component-${(c + 1) % components}`,
          `component:component-${(c + 7) % components}`,
        ],
        ...(providesApi ? { providesApis: [`api-${c}`] } : {}),
      },
    });
    if (providesApi && entities.length < count) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: `api-${c}` },
        spec: {
          type: 'openapi',
          lifecycle: 'production',
          owner: `group-${c % groups}`,
          definition: 'openapi: 3.0.0',
        },
      });
    }
  }
  return entities;
}
