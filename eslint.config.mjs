// One lint policy for every workspace: typescript-eslint's strictTypeChecked set, type-aware
// through each package's own tsconfig (projectService). Formatting is prettier's job alone
// (.prettierrc.json), so no stylistic rule is enabled here.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// node:test's test/describe return promises the runner itself awaits; awaiting them by hand
// changes nothing, so they are known-safe for no-floating-promises.
const nodeTestCalls = {
  from: 'package',
  package: 'node:test',
  name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'coverage/**',
      'demo-output/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Numbers in messages are the common, harmless case; objects and undefined stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // DTO classes exist to carry Swagger and class-validator metadata; NestJS responses and
      // options are plain objects of their shape, never instances, by the framework's design.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // NestJS modules are decorated empty classes by design.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [nodeTestCalls] },
      ],
      // `_`-prefixed names mark parameters an interface requires but this implementation ignores.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Test doubles implement the product's async ports; an `async` method that answers at once
    // (or throws) is the plainest way to write one, and awaiting nothing there hides no bug.
    files: ['**/*.test.ts', '**/*.test.tsx', '**/testing/**', '**/test-support/**', 'test/src/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
);
