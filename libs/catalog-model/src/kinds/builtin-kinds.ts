// The kinds every catalog knows.
import type { KindDefinition } from './kind-definition.js';
import { apiKind } from './builtin/api.js';
import { componentKind } from './builtin/component.js';
import { domainKind } from './builtin/domain.js';
import { groupKind } from './builtin/group.js';
import { locationKind } from './builtin/location.js';
import { resourceKind } from './builtin/resource.js';
import { systemKind } from './builtin/system.js';
import { templateKind } from './builtin/template.js';
import { userKind } from './builtin/user.js';

export const BUILTIN_KINDS: readonly KindDefinition[] = [
  componentKind,
  apiKind,
  resourceKind,
  systemKind,
  domainKind,
  groupKind,
  userKind,
  locationKind,
  templateKind,
];

export {
  apiKind,
  componentKind,
  domainKind,
  groupKind,
  locationKind,
  resourceKind,
  systemKind,
  templateKind,
  userKind,
};
