/**
 * Four test layers, each a jest project (`npm run test:<layer>`; `npm test` runs them all):
 * - unit: specs beside the code (*.spec.ts) and the lint specs. Plain inputs, no PostgreSQL, no Redis
 *   and no global set-up that needs them;
 * - medium: *.medium-spec.ts, a service and its repositories (or a Redis client) on the real services,
 *   each file in its own copy of the run's migrated template database;
 * - e2e: test/e2e, the API, worker, SMTP sink and socket.io clients together;
 * - browser: test/e2e/browser, the web build in Chromium against the same stack.
 * The last three share one global set-up (a per-run template database, libs/testing/src/global-setup.ts).
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

/** What every project shares: the compiler, the path aliases and the ES-module-only dependencies. */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc,
    '/content-disposition/dist/.+\\.js$': swc,
    '^.+/node_modules/email-reply-parser/.+\\.js$': swc,
  },
  // Some dependencies ship ES modules only, which jest's CommonJS runtime cannot load as they are
  // (Node itself can): @fastify/static's content-disposition and email-reply-parser are compiled
  // like our own code.
  transformIgnorePatterns: [
    '/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/|email-reply-parser/)',
  ],
  moduleNameMapper: {
    '^@cophub/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@cophub/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
};

/** The per-run template database (and the check that PostgreSQL and Redis answer) for the layers that need them. */
const services = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/lint/**/*.spec.ts'],
      // PostgreSQL and Redis addresses point at a closed port in every unit run (not only when the services are down).
      setupFiles: ['<rootDir>/libs/testing/src/unit-setup.ts'],
    },
    {
      ...common,
      ...services,
      displayName: 'medium',
      testMatch: ['<rootDir>/libs/**/*.medium-spec.ts', '<rootDir>/apps/**/*.medium-spec.ts'],
    },
    {
      ...common,
      ...services,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/browser/'],
    },
    {
      ...common,
      ...services,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/e2e/browser/**/*.e2e-spec.ts'],
    },
  ],
  // TEST_TIME_SCALE stretches every wait on a slow machine (libs/testing/src/run-env.ts).
  testTimeout: 60_000 * Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1),
  // The machine has two cores, shared by every project of the run.
  maxWorkers: 2,
};
