/** One jest run for unit specs (beside the code) and end-to-end suites (test/e2e). */
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

module.exports = {
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
  testMatch: [
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/test/lint/**/*.spec.ts',
    '<rootDir>/test/e2e/**/*.e2e-spec.ts',
  ],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  // TEST_TIME_SCALE stretches every wait on a slow machine (libs/testing/src/run-env.ts).
  testTimeout: 60_000 * Math.max(1, Number(process.env.TEST_TIME_SCALE) || 1),
  maxWorkers: 2,
};
