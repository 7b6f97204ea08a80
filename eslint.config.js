import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const services = ['gateway', 'order', 'inventory', 'payment', 'notification', 'storefront'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'reports/**', '.harness/**', 'contracts/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Type-aware rules on the TypeScript, each file checked with the tsconfig.json nearest to it: a
  // promise nobody awaits loses its error, and a switch over a union must name every member.
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // An example's k6 scripts sit under no tsconfig.json of their own: load/tsconfig.json (k6's types)
  // takes them in.
  {
    files: ['examples/*/load/**/*.k6.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './load/tsconfig.json' } },
  },
  // Plain JavaScript has no types to check.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // The harness knows the reference system only through harness.config.ts: no import of its code
  // from the harness's own folders, nor from the examples.
  {
    files: ['ci/**/*.ts', 'chaos/**/*.ts', 'load/**/*.ts', 'e2e/**/*.ts', 'runtime/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/**', ...services.flatMap((s) => [`@harness/${s}`, `@harness/${s}/*`])],
              message: 'the harness reaches a system only through its harness.config.ts, never its code',
            },
          ],
        },
      ],
    },
  },
  // The reference system's own contract tests drive its real code, through each service's package
  // entry (@harness/<service>/testing), never its src/ internals.
  {
    files: ['pact/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/**', '@harness/*/src/**'],
              message: 'import a service through its package entry (@harness/<service>/testing), not its src/',
            },
          ],
        },
      ],
    },
  },
  // Layering: a service imports the kit's public entry and the generated contracts, never
  // another service's code.
  ...services.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: services.filter((s) => s !== service).map((s) => `**/services/${s}/**`),
              message: 'services talk over their contracts, not by importing each other',
            },
            {
              group: services.filter((s) => s !== service).map((s) => `**/${s}/src/**`),
              message: 'services talk over their contracts, not by importing each other',
            },
            { group: ['**/kit/src/**'], message: 'import the kit through its public entry @harness/kit' },
          ],
        },
      ],
    },
  })),
);
