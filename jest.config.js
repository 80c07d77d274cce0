// Jest runs in native ESM mode (NestJS 12 is ESM-only): `node --experimental-vm-modules`.
// TypeScript is compiled by swc; workspace packages resolve to their sources.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

// React components (`*.test.tsx`): TSX with React's automatic runtime, in jsdom.
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@portal/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};

export default {
  // Half the cores: integration suites start several real processes each.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/*/src/**/*.test.ts',
        '<rootDir>/apps/*/src/**/*.test.ts',
        '<rootDir>/tools/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/apps/*/test/**/*.test.ts',
        '<rootDir>/libs/*/test/**/*.test.ts',
        '<rootDir>/test/**/*.test.ts',
      ],
      // Integration suites start real processes and databases; run them one at a time.
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
    {
      ...common,
      displayName: 'ui',
      testMatch: ['<rootDir>/libs/*/src/**/*.test.tsx', '<rootDir>/apps/**/src/**/*.test.tsx'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
      extensionsToTreatAsEsm: ['.ts', '.tsx'],
      transform: { '^.+\\.tsx?$': swcTsx },
      testEnvironment: 'jsdom',
      setupFiles: ['<rootDir>/libs/ui/src/testing/jsdom-setup.ts'],
    },
  ],
};
