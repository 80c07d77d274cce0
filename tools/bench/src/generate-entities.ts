// Generates a realistic organisation of N catalog entities, the same for the same seed and N:
// a group tree (organisation → departments → teams) with users as members, domains owned by
// departments, systems owned by teams, components, APIs and resources in those systems, owned by
// their teams, with dependsOn, providesApis and consumesApis between them. Every ref points at an
// entity of the result.
import type { Entity, JsonObject } from '@portal/catalog-model';
import { apiDefinition } from './definitions.js';
import { Random, Zipf } from './random.js';
import { personSlug, titleCase } from './text.js';
import {
  API_NOUNS,
  API_TYPES,
  AREAS,
  COMPONENT_NOUNS,
  COMPONENT_TYPES,
  FIRST_NAMES,
  LAST_NAMES,
  LIFECYCLES,
  RESOURCE_TYPES,
  SYSTEM_NOUNS,
  TAGS,
  TEAM_SUFFIXES,
  type ApiType,
  type ComponentType,
} from './vocabulary.js';

/** How many entities of each kind a generated organisation has. */
export interface EntityCounts {
  groups: number;
  users: number;
  domains: number;
  systems: number;
  components: number;
  apis: number;
  resources: number;
}

/** Share of each kind, in percent (domains and systems together). */
export const PROPORTIONS = {
  groups: 2,
  users: 10,
  domainsAndSystems: 1,
  components: 55,
  apis: 20,
  resources: 12,
} as const;

/** The smallest organisation: one group, a user, a domain, a system, and some software. */
export const MIN_ENTITIES = 10;

const API_VERSION = 'backstage.io/v1alpha1';
const EMAIL_DOMAIN = 'acme.example';

/** Exactly `count` entities, split by PROPORTIONS (at least one group, user, domain and system). */
export function planCounts(count: number): EntityCounts {
  if (!Number.isInteger(count) || count < MIN_ENTITIES) {
    throw new RangeError(`count must be an integer of at least ${MIN_ENTITIES}, not ${count}`);
  }
  const share = (percent: number) => Math.round((count * percent) / 100);
  const groups = Math.max(1, share(PROPORTIONS.groups));
  const users = Math.max(1, share(PROPORTIONS.users));
  const domainsAndSystems = Math.max(2, share(PROPORTIONS.domainsAndSystems));
  // About five systems per domain.
  const domains = Math.max(1, Math.round(domainsAndSystems / 6));
  const systems = domainsAndSystems - domains;
  const apis = share(PROPORTIONS.apis);
  const resources = share(PROPORTIONS.resources);
  const components = count - groups - users - domainsAndSystems - apis - resources;
  return { groups, users, domains, systems, components, apis, resources };
}

interface Group {
  name: string;
  type: 'organization' | 'department' | 'team';
  area: string;
  displayName: string;
  parent?: Group;
  children: Group[];
}

interface User {
  name: string;
  displayName: string;
  memberOf: string[];
}

interface Domain {
  name: string;
  owner: Group;
}

interface System {
  name: string;
  domain: Domain;
  owner: string;
  components: Component[];
}

interface Component {
  name: string;
  /** What its APIs and resources are named after: its system, or an area. */
  stem: string;
  type: ComponentType;
  noun: string;
  lifecycle: string;
  owner: string;
  system?: System;
  tags: string[];
  dependsOn: string[];
  providesApis: string[];
  consumesApis: string[];
  techdocs: boolean;
}

interface Api {
  name: string;
  type: ApiType;
  lifecycle: string;
  owner: string;
  system?: System;
  provider: Component;
  definition: string;
  tags: string[];
}

interface Resource {
  name: string;
  type: string;
  owner: string;
  system?: System;
}

/** Names unique within one kind: the first free of `base`, `base-2`, `base-3`… */
class NameBook {
  private readonly taken = new Set<string>();

  claim(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}-${n}`;
    this.taken.add(name);
    return name;
  }
}

/** How many tags an entity has, by weight: mostly one to three. */
const TAG_COUNTS: ReadonlyArray<readonly [number, number]> = [
  [0, 10],
  [1, 30],
  [2, 30],
  [3, 20],
  [4, 10],
];

/** How many components a service or website depends on, by weight. */
const DEPENDENCY_COUNTS: ReadonlyArray<readonly [number, number]> = [
  [0, 15],
  [1, 30],
  [2, 25],
  [3, 20],
  [4, 10],
];

class OrganisationGenerator {
  private readonly random: Random;
  private readonly tags = new Zipf(TAGS);
  private readonly groups: Group[] = [];
  private readonly departments: Group[] = [];
  private readonly teams: Group[] = [];
  private readonly users: User[] = [];
  private readonly domains: Domain[] = [];
  private readonly systems: System[] = [];
  private readonly components: Component[] = [];
  private readonly apis: Api[] = [];
  private readonly resources: Resource[] = [];

  constructor(
    private readonly counts: EntityCounts,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  generate(): Entity[] {
    this.makeGroups();
    this.makeUsers();
    this.makeDomainsAndSystems();
    this.makeComponents();
    this.makeApis();
    this.makeResources();
    this.makeDependencies();
    return [
      ...this.groups.map((group) => this.groupEntity(group)),
      ...this.users.map((user) => this.userEntity(user)),
      ...this.domains.map((domain) => this.domainEntity(domain)),
      ...this.systems.map((system) => this.systemEntity(system)),
      ...this.components.map((component) => this.componentEntity(component)),
      ...this.apis.map((api) => this.apiEntity(api)),
      ...this.resources.map((resource) => this.resourceEntity(resource)),
    ];
  }

  /** The groups that own software: the teams, or the departments (or the organisation) when there are none. */
  private owners(): Group[] {
    if (this.teams.length > 0) return this.teams;
    if (this.departments.length > 0) return this.departments;
    return this.groups;
  }

  private makeGroups(): void {
    const names = new NameBook();
    const organisation: Group = {
      name: names.claim('acme'),
      type: 'organization',
      area: 'acme',
      displayName: 'Acme',
      children: [],
    };
    this.groups.push(organisation);
    const rest = this.counts.groups - 1;
    const departmentCount = rest === 0 ? 0 : Math.max(1, Math.round(rest / 10));
    const areas = this.random.shuffle(AREAS);
    for (let i = 0; i < departmentCount; i++) {
      const area = areas[i % areas.length]!;
      const department: Group = {
        name: names.claim(area),
        type: 'department',
        area,
        displayName: titleCase(area),
        parent: organisation,
        children: [],
      };
      organisation.children.push(department);
      this.departments.push(department);
      this.groups.push(department);
    }
    // Each department names its teams with suffixes it has not used yet, while there are some.
    const suffixes = new Map(
      this.departments.map((department) => [department, this.random.shuffle(TEAM_SUFFIXES)]),
    );
    for (let i = 0; i < rest - departmentCount; i++) {
      // Every department gets a team before any gets a second.
      const department = i < departmentCount ? this.departments[i]! : this.random.pick(this.departments);
      const suffix = suffixes.get(department)!.pop() ?? this.random.pick(TEAM_SUFFIXES);
      const name = names.claim(`${department.area}-${suffix}`);
      const team: Group = {
        name,
        type: 'team',
        area: department.area,
        displayName: titleCase(name),
        parent: department,
        children: [],
      };
      department.children.push(team);
      this.teams.push(team);
      this.groups.push(team);
    }
  }

  private makeUsers(): void {
    const names = new NameBook();
    const homes = this.owners();
    for (let i = 0; i < this.counts.users; i++) {
      const first = this.random.pick(FIRST_NAMES);
      const last = this.random.pick(LAST_NAMES);
      // Every team gets a member before any gets a second.
      const home = i < homes.length ? homes[i]! : this.random.pick(homes);
      const memberOf = [home.name];
      if (this.random.percent(12) && homes.length > 1) {
        const other = this.random.pick(homes);
        if (other !== home) memberOf.push(other.name);
      }
      this.users.push({
        name: names.claim(personSlug(first, last)),
        displayName: `${first} ${last}`,
        memberOf,
      });
    }
  }

  private makeDomainsAndSystems(): void {
    const domainNames = new NameBook();
    const stewards = this.departments.length > 0 ? this.departments : this.groups;
    for (let i = 0; i < this.counts.domains; i++) {
      const owner = stewards[i % stewards.length]!;
      this.domains.push({ name: domainNames.claim(owner.area), owner });
    }
    const systemNames = new NameBook();
    for (let i = 0; i < this.counts.systems; i++) {
      const domain = i < this.domains.length ? this.domains[i]! : this.random.pick(this.domains);
      // Systems are owned by a team of the department that owns their domain.
      const teams = domain.owner.children.length > 0 ? domain.owner.children : this.owners();
      this.systems.push({
        name: systemNames.claim(`${domain.name}-${this.random.pick(SYSTEM_NOUNS)}`),
        domain,
        owner: this.random.pick(teams).name,
        components: [],
      });
    }
  }

  private drawTags(): string[] {
    return this.tags.drawDistinct(this.random, this.random.weighted(TAG_COUNTS));
  }

  private makeComponents(): void {
    const names = new NameBook();
    for (let i = 0; i < this.counts.components; i++) {
      const type = this.random.weighted(COMPONENT_TYPES);
      // Every system gets a component before any gets a second; a few components belong to none.
      let system: System | undefined;
      if (i < this.systems.length) system = this.systems[i];
      else if (this.random.percent(92)) system = this.random.pick(this.systems);
      const stem = system?.name ?? this.random.pick(AREAS);
      const noun = this.random.pick(COMPONENT_NOUNS[type]);
      const component: Component = {
        name: names.claim(`${stem}-${noun}`),
        stem,
        type,
        noun,
        lifecycle: this.random.weighted(LIFECYCLES),
        owner: system && this.random.percent(85) ? system.owner : this.random.pick(this.owners()).name,
        system,
        tags: this.drawTags(),
        dependsOn: [],
        providesApis: [],
        consumesApis: [],
        techdocs: this.random.percent(40),
      };
      system?.components.push(component);
      this.components.push(component);
    }
  }

  private makeApis(): void {
    const names = new NameBook();
    const services = this.components.filter((component) => component.type === 'service');
    const providers = services.length > 0 ? services : this.components;
    const suffix: Record<ApiType, string> = { openapi: 'api', grpc: 'grpc', graphql: 'graphql' };
    for (let i = 0; i < this.counts.apis; i++) {
      const provider = this.random.pick(providers);
      const type = this.random.weighted(API_TYPES);
      const noun = this.random.pick(API_NOUNS);
      const name = names.claim(`${provider.stem}-${noun}-${suffix[type]}`);
      const major = this.random.weighted([
        [1, 60],
        [2, 30],
        [3, 10],
      ]);
      provider.providesApis.push(name);
      this.apis.push({
        name,
        type,
        lifecycle: this.random.percent(80) ? provider.lifecycle : this.random.weighted(LIFECYCLES),
        owner: provider.owner,
        system: provider.system,
        provider,
        definition: apiDefinition({
          type,
          name,
          noun,
          stem: provider.stem,
          major,
          minor: this.random.int(20),
        }),
        tags: this.drawTags(),
      });
    }
  }

  private makeResources(): void {
    const names = new NameBook();
    for (let i = 0; i < this.counts.resources; i++) {
      const system = this.random.percent(95) ? this.random.pick(this.systems) : undefined;
      const kind = this.random.weighted(RESOURCE_TYPES.map((type) => [type, type.weight] as const));
      const resource: Resource = {
        name: names.claim(`${system?.name ?? this.random.pick(AREAS)}-${this.random.pick(kind.suffixes)}`),
        type: kind.type,
        owner: system?.owner ?? this.random.pick(this.owners()).name,
        system,
      };
      this.resources.push(resource);
      // One or two components use it, from its own system where it has some.
      const users = system && system.components.length > 0 ? system.components : this.components;
      for (let n = this.random.between(1, 2); n > 0; n--) {
        const user = this.random.pick(users);
        const ref = `resource:${resource.name}`;
        if (!user.dependsOn.includes(ref)) user.dependsOn.push(ref);
      }
    }
  }

  private makeDependencies(): void {
    const libraries = this.components.filter((component) => component.type === 'library');
    // Earlier libraries are the popular ones.
    const popularLibraries = libraries.length > 0 ? new Zipf(libraries) : undefined;
    const popularApis = this.apis.length > 0 ? new Zipf(this.random.shuffle(this.apis)) : undefined;
    const add = (component: Component, target: Component) => {
      const ref = `component:${target.name}`;
      if (target !== component && !component.dependsOn.includes(ref)) component.dependsOn.push(ref);
    };
    libraries.forEach((library, index) => {
      // A library depends only on more popular ones: no cycles.
      if (index > 0 && this.random.percent(40)) add(library, libraries[this.random.int(index)]!);
    });
    for (const component of this.components) {
      if (component.type === 'library') continue;
      const siblings = component.system?.components ?? [];
      for (let n = this.random.weighted(DEPENDENCY_COUNTS); n > 0; n--) {
        if (siblings.length > 1 && this.random.percent(60)) add(component, this.random.pick(siblings));
        else if (popularLibraries) add(component, popularLibraries.draw(this.random));
      }
      if (!popularApis) continue;
      const consumed = this.random.weighted([
        [0, 35],
        [1, 35],
        [2, 20],
        [3, 10],
      ]);
      for (const api of popularApis.drawDistinct(this.random, consumed)) {
        if (api.provider !== component) component.consumesApis.push(api.name);
      }
    }
  }

  private groupEntity(group: Group): Entity {
    const spec: JsonObject = { type: group.type };
    spec.profile = { displayName: group.displayName, email: `${group.name}@${EMAIL_DOMAIN}` };
    if (group.parent) spec.parent = group.parent.name;
    spec.children = group.children.map((child) => child.name);
    return {
      apiVersion: API_VERSION,
      kind: 'Group',
      metadata: { name: group.name, description: `${group.displayName} ${group.type}` },
      spec,
    };
  }

  private userEntity(user: User): Entity {
    return {
      apiVersion: API_VERSION,
      kind: 'User',
      metadata: { name: user.name },
      spec: {
        profile: { displayName: user.displayName, email: `${user.name}@${EMAIL_DOMAIN}` },
        memberOf: user.memberOf,
      },
    };
  }

  private domainEntity(domain: Domain): Entity {
    return {
      apiVersion: API_VERSION,
      kind: 'Domain',
      metadata: {
        name: domain.name,
        title: titleCase(domain.name),
        description: `Everything ${titleCase(domain.name).toLowerCase()}`,
      },
      spec: { owner: domain.owner.name },
    };
  }

  private systemEntity(system: System): Entity {
    return {
      apiVersion: API_VERSION,
      kind: 'System',
      metadata: {
        name: system.name,
        title: titleCase(system.name),
        description: `The ${titleCase(system.name)} system`,
      },
      spec: { owner: system.owner, domain: system.domain.name },
    };
  }

  private componentEntity(component: Component): Entity {
    const annotations: Record<string, string> = { 'github.com/project-slug': `acme/${component.name}` };
    if (component.techdocs) annotations['backstage.io/techdocs-ref'] = 'dir:.';
    const metadata: Entity['metadata'] = {
      name: component.name,
      description: `${titleCase(component.noun)} ${component.type} of ${component.system ? `the ${titleCase(component.system.name)} system` : titleCase(component.stem)}`,
      annotations,
    };
    if (component.tags.length > 0) metadata.tags = component.tags;
    if (component.type === 'website') {
      metadata.links = [{ url: `https://${component.name}.${EMAIL_DOMAIN}`, title: 'Website', icon: 'web' }];
    } else if (component.type === 'service' && component.lifecycle === 'production') {
      metadata.links = [
        { url: `https://grafana.${EMAIL_DOMAIN}/d/${component.name}`, title: 'Dashboard', icon: 'dashboard' },
      ];
    }
    const spec: JsonObject = { type: component.type, lifecycle: component.lifecycle, owner: component.owner };
    if (component.system) spec.system = component.system.name;
    if (component.dependsOn.length > 0) spec.dependsOn = component.dependsOn;
    if (component.providesApis.length > 0) spec.providesApis = component.providesApis;
    if (component.consumesApis.length > 0) spec.consumesApis = component.consumesApis;
    return { apiVersion: API_VERSION, kind: 'Component', metadata, spec };
  }

  private apiEntity(api: Api): Entity {
    const metadata: Entity['metadata'] = {
      name: api.name,
      description: `${titleCase(api.name)}, provided by ${api.provider.name}`,
    };
    if (api.tags.length > 0) metadata.tags = api.tags;
    const spec: JsonObject = { type: api.type, lifecycle: api.lifecycle, owner: api.owner };
    if (api.system) spec.system = api.system.name;
    spec.definition = api.definition;
    return { apiVersion: API_VERSION, kind: 'API', metadata, spec };
  }

  private resourceEntity(resource: Resource): Entity {
    const spec: JsonObject = { type: resource.type, owner: resource.owner };
    if (resource.system) spec.system = resource.system.name;
    return {
      apiVersion: API_VERSION,
      kind: 'Resource',
      metadata: { name: resource.name, description: `${titleCase(resource.type)} ${resource.name}` },
      spec,
    };
  }
}

/**
 * `count` entities (at least MIN_ENTITIES) of a realistic organisation; the same `seed` (an integer
 * from 0 to 2³²−1) and `count` give the same entities in the same order.
 */
export function generateEntities(count: number, seed: number): Entity[] {
  return new OrganisationGenerator(planCounts(count), seed).generate();
}
