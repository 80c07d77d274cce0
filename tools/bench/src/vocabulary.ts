// The words generated organisations are made of. Lists ranked by popularity (tags) are drawn with a
// Zipf skew: the first entries are the most common.

/** A list written as words separated by white space. */
function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

/** Business capabilities: department, domain and system names. */
export const AREAS = words(`
  payments checkout billing identity search catalog pricing inventory logistics shipping returns
  fraud risk notifications messaging analytics reporting advertising marketing loyalty subscriptions
  onboarding support content media reviews maps booking scheduling compliance accounting procurement
  warehouse fulfilment recommendations personalisation experiments developer-platform observability
  security data-platform machine-learning
`);

/** What teams inside an area call themselves. */
export const TEAM_SUFFIXES = words(`
  core web mobile platform infra insights experience ops backend frontend data reliability growth
  tooling integrations enablement
`);

export const SYSTEM_NOUNS = words(`
  ledger gateway engine hub portal pipeline registry workflow exchange console tracker vault router
  scheduler index store broker studio
`);

export type ComponentType = 'service' | 'website' | 'library';

export const COMPONENT_NOUNS: Record<ComponentType, readonly string[]> = {
  service: words(`
    api service worker processor consumer scheduler sync adapter proxy backend ingester exporter
    handler manager resolver aggregator dispatcher
  `),
  website: words('web ui dashboard admin console frontend app backoffice'),
  library: words('client sdk common utils models schema lib core kit testing'),
};

/** The things APIs serve. */
export const API_NOUNS = words(`
  accounts orders payments users events items prices invoices shipments sessions tokens reports
  products carts reviews messages refunds quotes
`);

export type ApiType = 'openapi' | 'grpc' | 'graphql';

export const RESOURCE_TYPES: ReadonlyArray<{ type: string; weight: number; suffixes: readonly string[] }> = [
  { type: 'database', weight: 35, suffixes: ['db', 'postgres', 'mysql'] },
  { type: 'kafka-topic', weight: 20, suffixes: ['events', 'topic', 'stream'] },
  { type: 's3-bucket', weight: 15, suffixes: ['bucket', 'assets', 'archive'] },
  { type: 'cache', weight: 12, suffixes: ['cache', 'redis'] },
  { type: 'queue', weight: 10, suffixes: ['queue', 'jobs'] },
  { type: 'search-index', weight: 8, suffixes: ['index', 'opensearch'] },
];

export const LIFECYCLES: ReadonlyArray<readonly [string, number]> = [
  ['production', 70],
  ['experimental', 18],
  ['deprecated', 12],
];

export const COMPONENT_TYPES: ReadonlyArray<readonly [ComponentType, number]> = [
  ['service', 55],
  ['website', 15],
  ['library', 30],
];

export const API_TYPES: ReadonlyArray<readonly [ApiType, number]> = [
  ['openapi', 60],
  ['grpc', 25],
  ['graphql', 15],
];

/** Tags, most common first. */
export const TAGS = words(`
  java typescript go python kotlin rest grpc kafka postgres react kubernetes aws redis graphql nodejs
  spring-boot terraform docker tier-1 tier-2 gcp scala rust elasticsearch mysql rabbitmq nextjs pci
  gdpr vue angular swift android ios ruby rails php dotnet csharp cassandra mongodb dynamodb s3 lambda
  serverless airflow spark flink tier-3 legacy public internal batch streaming ml websocket oauth sox
  hipaa c++ elixir haskell clojure fortran
`);

/** People's names, as they write them (entity names are made from them without accents). */
export const FIRST_NAMES = words(`
  Amara Ben Chen Daria Elif Farid Grace Hiro Inès Jonas Kavya Liam Maya Noah Olga Pablo Qi Rosa Sami
  Tara Umar Vera Wei Ximena Yusuf Zoë Ada Bruno Chioma Dmitri Emma Felix Gita Hamza Isla Jin Kofi Lena
  Marco Nadia Omar Priya Rafael Sofia Tomás Ugo Valentina William Yara Zain
`);

export const LAST_NAMES = words(`
  Adeyemi Bauer Costa Dubois Eriksen Fernández García Haddad Ivanova Jensen Kowalski Li Müller
  Nakamura Okafor Patel Quinn Rossi Schmidt Tanaka Usman Virtanen Wang Xu Yılmaz Zhang Andersson
  Banerjee Cohen Díaz Evans Fischer Gupta Hoang Ito Jovanović Kim López Mensah Novak O'Brien Petrov
  Rahman Silva Nguyen Walker Young Santos Kaur Murphy
`);
