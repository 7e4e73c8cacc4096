// @ts-check
import tseslint from 'typescript-eslint';

/** Lint with no warnings allowed; import boundaries keep dependencies pointing apps → feature libs → core. */
const FEATURE_LIBS = ['audit', 'identity', 'mail', 'forum', 'events', 'resources', 'polls', 'notifications', 'search', 'realtime', 'mail-in'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/**', 'coverage/**', 'artifacts/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/apps/*'], message: 'Libraries must not import apps.' }] }],
    },
  },
  {
    files: ['libs/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: FEATURE_LIBS.map((l) => `@cophub/${l}`), message: 'core is infrastructure only: it must not import feature modules.' }] },
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
            { group: FEATURE_LIBS.filter((l) => l !== lib).map((l) => `@cophub/${l}/*`), message: "Import another module's public index, not its internals." },
            { group: ['../../*/src/*', '../../*/src'], message: 'Import other libraries through their @cophub alias.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['libs/testing/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
