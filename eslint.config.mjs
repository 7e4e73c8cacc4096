// @ts-check
import { resolve } from 'node:path';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * Modules that have the shape of docs/architecture.md: SQL only in db/ (repositories and statements) and no
 * file over 400 lines. A module joins this list in the change that gives it the shape.
 */
const SHAPED_MODULES = [
  'pages',
  'forum',
  'resources',
  'search',
  'mail',
  'events',
  'notifications',
  'mail-in',
  'audit',
  'identity',
];

/** Lint with no warnings allowed; import boundaries keep dependencies pointing apps → feature libs → core. */
const FEATURE_LIBS = [
  'audit',
  'identity',
  'mail',
  'forum',
  'events',
  'resources',
  'polls',
  'notifications',
  'search',
  'realtime',
  'pages',
  'mail-in',
];

/** Files that never run in a production process, so they may import devDependencies. */
const DEV_ONLY_FILES = [
  'test/**',
  'libs/testing/**',
  '**/*.spec.ts',
  '**/*.medium-spec.ts',
  '**/*.e2e-spec.ts',
  'apps/web/**',
  'apps/api/src/openapi-types.ts',
  'infra/**',
  '*.config.{ts,mjs,js}',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/*'], message: 'Libraries must not import apps.' }] },
      ],
    },
  },
  {
    files: ['libs/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...FEATURE_LIBS, 'schema'].map((l) => `@cophub/${l}`),
              message: 'core is infrastructure only: it must not import feature modules.',
            },
          ],
        },
      ],
    },
  },
  ...FEATURE_LIBS.map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/*', '../../../apps/*'], message: 'Libraries must not import apps.' },
            {
              group: FEATURE_LIBS.filter((l) => l !== lib).map((l) => `@cophub/${l}/*`),
              message: "Import another module's public index, not its internals.",
            },
            { group: ['../../*/src/*', '../../*/src'], message: 'Import other libraries through their @cophub alias.' },
            {
              group: ['@cophub/schema', '@cophub/schema/*'],
              message:
                'The schema collector is for the apps, the migrate command and the tests; a module never imports it.',
            },
          ],
        },
      ],
    },
  })),
  {
    // The schema collector (every module's migrations and entities): it reads each module's public index, and
    // its migration list directly (`db/migrations`), so that running migrations never loads the product's code.
    files: ['libs/schema/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/*', '../../../apps/*'], message: 'Libraries must not import apps.' },
            {
              regex:
                '^\\.\\./\\.\\./[^/]+/src(?!/db/migrations$|/db/migration-class$|/jobs/[a-z-]+\\.jobs$|/queue/jobs$)',
              message:
                "Only a module's migration list and jobs declaration may be imported by path; the rest through its @cophub alias.",
            },
          ],
        },
      ],
    },
  },
  {
    // What a process imports at run time must be a production dependency: the image installs only those
    // (`npm prune --omit=dev`), so a runtime import of a devDependency starts in CI and fails in production.
    // Tests, the test support library, the bench, the browser app (bundled by Vite at build time) and build
    // scripts may use devDependencies. Type-only imports are erased by the compiler and never checked.
    plugins: { 'import-x': importX },
    settings: { 'import-x/internal-regex': '^@cophub/' },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          devDependencies: DEV_ONLY_FILES,
          optionalDependencies: false,
          peerDependencies: false,
          includeTypes: false,
        },
      ],
    },
  },
  {
    // No import cycles in the libraries and apps, the web app included: a cycle means a boundary is wrong
    // (move the shared piece to a third file). Imports are resolved as the compiler resolves them, @cophub
    // aliases included; type-only imports are erased and do not count.
    files: ['libs/**/*.ts', 'apps/**/*.ts', 'apps/web/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.node'],
          tsconfig: { configFile: resolve(import.meta.dirname, 'tsconfig.json') },
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...SHAPED_MODULES.map((module) => ({
    // SQL lives in db/: services and everything else call a repository (docs/architecture.md, data access).
    // Medium specs read the rows a service wrote to check them, as e2e tests do.
    files: [`libs/${module}/src/**/*.ts`],
    ignores: [`libs/${module}/src/**/db/**`, '**/*.medium-spec.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression > MemberExpression.callee[property.name='query']",
          message: `SQL belongs in libs/${module}/src/db (a repository or statement file), not here.`,
        },
      ],
      'no-restricted-properties': [
        'error',
        ...['getRepository', 'createQueryBuilder'].map((property) => ({
          property,
          message: `Entity and query-builder access belongs in libs/${module}/src/db (a repository), not here.`,
        })),
      ],
    },
  })),
  {
    // A library's public index names each export (`export { A } from './a'`, `export type { T } from './t'`), so
    // what other modules may use is a list to read and nothing leaks out by being exported from a file. The
    // SQL rule above is repeated: a file's no-restricted-syntax settings replace each other.
    files: ['libs/*/src/index.ts'],
    // polls has not moved to the module shape yet; the change that moves it removes this line.
    ignores: ['libs/polls/src/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportAllDeclaration',
          message: "Name each export of a library's index (export { A } from './a'); no export *.",
        },
        {
          selector: "CallExpression > MemberExpression.callee[property.name='query']",
          message: "SQL belongs in the module's db folder (a repository or statement file), not here.",
        },
      ],
    },
  },
  ...SHAPED_MODULES.map((module) => ({
    // Files a reader can hold in their head; generated files (row types, catalogues) aside.
    files: [`libs/${module}/src/**/*.ts`],
    // Migrations are history (generated, then never edited): they keep their length.
    ignores: ['**/*.generated.ts', '**/generated/**', '**/db/migrations/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  })),
  {
    // The web app calls the API only through the typed client (apps/web/src/api/http.ts): paths, parameters
    // and bodies are checked against the types generated from the OpenAPI document (schema.d.ts). The
    // string-path client it replaced, and any other way round it, are refused so they cannot come back.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/api/client.ts', 'apps/web/src/api/http.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.object.name='api'][callee.property.name=/^(get|post|put|patch|delete|request|download|blob|upload|authorisedFetch|trackedFetch)$/]",
          message:
            'Call the API through the typed client: http.GET/POST/… from api/http.ts, with the path from schema.d.ts.',
        },
        {
          selector: "CallExpression[callee.name='fetch'], NewExpression[callee.name='XMLHttpRequest']",
          message: 'Call the API through the typed client (api/http.ts); withProgress() reports upload progress.',
        },
        {
          selector:
            "CallExpression[callee.object.name='http'][callee.property.name=/^(GET|POST|PUT|PATCH|DELETE)$/] > :first-child:not(Literal)",
          message:
            "The typed client's path is the OpenAPI path as written, e.g. '/api/v1/polls/{id}', with its parameters in params.path.",
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'openapi-fetch', message: 'Use the typed client in api/http.ts.' }],
          patterns: [{ group: ['**/apps/*'], message: 'Libraries must not import apps.' }],
        },
      ],
    },
  },
  {
    // Files a reader can hold in their head, in the web app too; the generated API types aside.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    ignores: ['apps/web/src/api/schema.d.ts', '**/*.generated.ts', '**/generated/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  },
  {
    // The web app: React's rules of hooks and the compiler-backed checks (effects, refs, purity).
    files: ['apps/web/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: ['libs/testing/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
