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
  transform: { '^.+\\.ts$': swc, '/content-disposition/dist/.+\\.js$': swc },
  // @fastify/static depends on an ES-module-only content-disposition, which jest's CommonJS runtime
  // cannot load as it is (Node itself can); it alone is compiled like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)'],
  moduleNameMapper: {
    '^@cophub/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@cophub/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
