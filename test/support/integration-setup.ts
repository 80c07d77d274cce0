import { jest } from '@jest/globals';

// Integration suites start real processes and databases on a 2-core machine.
jest.setTimeout(120_000);
