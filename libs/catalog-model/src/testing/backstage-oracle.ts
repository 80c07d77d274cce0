// Test support: Backstage's published catalog model used as the reference our answers must match.
// Not part of the library build.
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  getCompoundEntityRef,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  makeValidator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity as BackstageEntity,
} from '@backstage/catalog-model';

/** The entity policies of Backstage's catalog builder, with relations and status allowed at the root. */
const policies = EntityPolicies.allOf([
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status']),
  new FieldFormatEntityPolicy(makeValidator()),
]);

/** The kind validators of Backstage's BuiltinKindsEntityProcessor. */
const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
];

/**
 * The spec fields BuiltinKindsEntityProcessor (plugin-catalog-backend 4.0.0) reads relations from,
 * transcribed from its postProcessEntity: [field, default kind, forward, inverse].
 */
const relationFields: Record<string, Array<[string, string | undefined, string, string]>> = {
  Component: [
    ['owner', 'Group', 'ownedBy', 'ownerOf'],
    ['subcomponentOf', 'Component', 'partOf', 'hasPart'],
    ['providesApis', 'API', 'providesApi', 'apiProvidedBy'],
    ['consumesApis', 'API', 'consumesApi', 'apiConsumedBy'],
    ['dependsOn', undefined, 'dependsOn', 'dependencyOf'],
    ['dependencyOf', undefined, 'dependencyOf', 'dependsOn'],
    ['system', 'System', 'partOf', 'hasPart'],
  ],
  API: [
    ['owner', 'Group', 'ownedBy', 'ownerOf'],
    ['system', 'System', 'partOf', 'hasPart'],
  ],
  Resource: [
    ['owner', 'Group', 'ownedBy', 'ownerOf'],
    ['dependsOn', undefined, 'dependsOn', 'dependencyOf'],
    ['dependencyOf', undefined, 'dependencyOf', 'dependsOn'],
    ['system', 'System', 'partOf', 'hasPart'],
  ],
  User: [['memberOf', 'Group', 'memberOf', 'hasMember']],
  Group: [
    ['parent', 'Group', 'childOf', 'parentOf'],
    ['children', 'Group', 'parentOf', 'childOf'],
    ['members', 'User', 'hasMember', 'memberOf'],
  ],
  System: [
    ['owner', 'Group', 'ownedBy', 'ownerOf'],
    ['domain', 'Domain', 'partOf', 'hasPart'],
  ],
  Domain: [
    ['owner', 'Group', 'ownedBy', 'ownerOf'],
    ['subdomainOf', 'Domain', 'partOf', 'hasPart'],
  ],
};

export interface OracleRelation {
  source: string;
  type: string;
  target: string;
}

/** The relations Backstage's processor emits for `entity`, as lowercase ref triples, in emit order. */
export function backstageRelations(entity: BackstageEntity): OracleRelation[] {
  const self = getCompoundEntityRef(entity);
  const selfRef = stringifyEntityRef(self);
  const out: OracleRelation[] = [];
  for (const [field, defaultKind, forward, inverse] of relationFields[entity.kind] ?? []) {
    const targets = (entity.spec as Record<string, unknown> | undefined)?.[field];
    if (!targets) continue;
    for (const target of [targets].flat()) {
      const ref = stringifyEntityRef(
        parseEntityRef(target as string, { defaultKind, defaultNamespace: self.namespace }),
      );
      out.push({ source: selfRef, type: forward, target: ref });
      out.push({ source: ref, type: inverse, target: selfRef });
    }
  }
  return out;
}

/**
 * Whether Backstage's catalog accepts `entity`: entity policies, a built-in kind validator, and
 * the relation refs its processor parses.
 */
export async function backstageAccepts(entity: unknown): Promise<boolean> {
  try {
    const copy = JSON.parse(JSON.stringify(entity)) as BackstageEntity;
    const checked = await policies.enforce(copy);
    if (!checked) return false;
    let known = false;
    for (const validator of kindValidators) {
      if (await validator.check(checked)) {
        known = true;
        break;
      }
    }
    if (!known) return false;
    backstageRelations(checked);
    return true;
  } catch {
    return false;
  }
}
