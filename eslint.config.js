import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const services = ['gateway', 'order', 'inventory', 'payment', 'notification', 'storefront'];

/** The workspace packages (the root package.json's `workspaces`): folder, name and `exports`. */
const workspaces = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'package.json'), 'utf8'))
  .workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? fs.readdirSync(path.join(import.meta.dirname, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -1)}${d}`)
      : [pattern],
  )
  .filter((dir) => fs.existsSync(path.join(import.meta.dirname, dir, 'package.json')))
  .map((dir) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, dir, 'package.json'), 'utf8'));
    return { dir: path.join(import.meta.dirname, dir), name: manifest.name, exports: manifest.exports ?? {} };
  });

/** The workspace package a file (absolute path) belongs to, if any. */
const packageOf = (file) => workspaces.find((w) => file === w.dir || file.startsWith(`${w.dir}${path.sep}`));

/** Whether `subpath` ('.' or './x/y') is an entry of a package's `exports` (keys may hold one `*`). */
const isExported = (exports, subpath) =>
  Object.keys(exports).some((key) =>
    key.includes('*') ? subpath.startsWith(key.split('*')[0]) && subpath.endsWith(key.split('*')[1]) : key === subpath,
  );

/**
 * Each workspace package is reached through its package entry, never its files: no relative import
 * into another package's folder, no `@harness/<name>/<path>` its package.json does not export.
 */
const packageEntryRule = {
  meta: {
    type: 'problem',
    docs: { description: 'import another workspace package only through an entry its package.json exports' },
    schema: [],
  },
  create(context) {
    const own = packageOf(context.filename);
    const check = (source) => {
      const spec = source?.value;
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = packageOf(path.resolve(path.dirname(context.filename), spec));
        if (target !== undefined && target !== own) {
          context.report({
            node: source,
            message: `'${spec}' reaches into ${target.name}'s files: import it through its package entry (${target.name}, its package.json exports)`,
          });
        }
        return;
      }
      const target = workspaces.find((w) => spec === w.name || spec.startsWith(`${w.name}/`));
      if (target === undefined) return;
      const subpath = `.${spec.slice(target.name.length)}`;
      if (!isExported(target.exports, subpath)) {
        const entries = Object.keys(target.exports).join(', ') || 'nothing';
        context.report({
          node: source,
          message: `'${spec}' is not an entry of ${target.name} (its package.json exports ${entries}): import an entry, or add one`,
        });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

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
  // typescript-eslint's "single run" mode (inferred from CI=true or the eslint binary) took 88–95 s
  // over this repo on the 2-core machine, its default program management 29 s: it stays off.
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        disallowAutomaticSingleRunInference: true,
      },
    },
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
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: './load/tsconfig.json',
        disallowAutomaticSingleRunInference: true,
      },
    },
  },
  // Plain JavaScript has no types to check.
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // Every workspace package is reached through its package entry, never another package's src/.
  {
    files: ['**/*.ts'],
    plugins: { workspace: { rules: { 'package-entry': packageEntryRule } } },
    rules: { 'workspace/package-entry': 'error' },
  },
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
  // The engine names no system: services, links, the entry and the load target come from the config.
  // The reference system's own material (reference/, load/, e2e/, pact/consumers, pact/providers)
  // may name its services; the engine's src/ may not, not even in a string.
  {
    files: ['ci/src/**/*.ts', 'chaos/src/**/*.ts', 'runtime/src/**/*.ts', 'pact/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `Literal[value=/^(${services.join('|')}|L[1-8])$/]`,
          message:
            "the harness names no system's service or link: take it from the config (its topology, chaos.entry, load.target)",
        },
        {
          selector: `TemplateElement[value.raw=/^(${services.join('|')}|L[1-8])$/]`,
          message:
            "the harness names no system's service or link: take it from the config (its topology, chaos.entry, load.target)",
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
