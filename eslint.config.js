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
