import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@harness/runtime';

/** An import of order's internals, `up` folders above (the very import the rule must refuse). */
const deepImport = (up: number): string =>
  `import { buildApp } from '${[...Array<string>(up).fill('..'), 'services', 'order', 'src', 'app.ts'].join('/')}';\nexport const app = buildApp;\n`;

/**
 * Lints a snippet as if it were the file at `filePath` (relative to the repository), with the
 * repository's rules save the type-aware ones (the file is not on disk, so no tsconfig holds it).
 */
async function rulesBroken(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfig: tseslint.configs.disableTypeChecked });
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

describe('lint keeps the harness apart from the reference system', () => {
  it("refuses a service's src/ imported from the harness's own folders", async () => {
    const broken = await rulesBroken('ci/src/commands/sneaky.ts', deepImport(3));
    expect(broken.join('\n')).toMatch(/no-restricted-imports: .*only through its harness\.config\.ts/);
  });

  it("refuses a service's package from chaos and from the examples", async () => {
    for (const file of ['chaos/src/systems/sneaky.ts', 'examples/py-shop/sneaky.ts']) {
      const broken = await rulesBroken(
        file,
        "import { buildApp } from '@harness/order';\nexport const app = buildApp;\n",
      );
      expect(broken.join('\n')).toMatch(/no-restricted-imports/);
    }
  });

  it('lets the contract tests use a service only through its package entry', async () => {
    const deep = await rulesBroken('pact/consumers/sneaky.ts', deepImport(2));
    expect(deep.join('\n')).toMatch(/no-restricted-imports: .*@harness\/<service>\/testing/);
    const entry = await rulesBroken(
      'pact/consumers/fine.ts',
      "import { buildApp } from '@harness/order/testing';\nexport const app = buildApp;\n",
    );
    expect(entry).toEqual([]);
  });

  it("refuses another workspace package's src/, relative or by name, and lets its package entry through", async () => {
    const snippet = (from: string): string =>
      `import { startInfra } from '${from}';\nexport const start = startInfra;\n`;
    for (const [file, up] of [
      ['ci/src/commands/sneaky.ts', 3],
      ['chaos/src/sneaky.ts', 2],
      ['pact/consumers/sneaky.ts', 2],
      ['load/scripts/sneaky.ts', 2],
      ['e2e/tests/sneaky.ts', 2],
    ] as const) {
      const relative = await rulesBroken(file, snippet(`${'../'.repeat(up)}runtime/src/infra.ts`));
      expect(relative.join('\n'), file).toMatch(/workspace\/package-entry: .*reaches into @harness\/runtime/);
      const byName = await rulesBroken(file, snippet('@harness/runtime/src/infra.ts'));
      expect(byName.join('\n'), file).toMatch(/workspace\/package-entry: .*not an entry of @harness\/runtime/);
      expect(await rulesBroken(file, snippet('@harness/runtime')), file).toEqual([]);
    }
  });

  it('lets a package import its own files', async () => {
    const own = await rulesBroken(
      'runtime/src/sneaky.ts',
      "import { startInfra } from './infra.ts';\nexport const start = startInfra;\n",
    );
    expect(own).toEqual([]);
  });
});

describe('lint keeps the names of a system out of the engine', () => {
  const naming = "export const target = { link: 'L5', service: 'payment' };\nexport const url = `${'x'}`;\n";

  it("refuses a reference service's or link's name in a string in the engine's src/", async () => {
    for (const file of ['chaos/src/runner/sneaky.ts', 'ci/src/load/sneaky.ts', 'runtime/src/sneaky.ts']) {
      const broken = (await rulesBroken(file, naming)).filter((line) => line.startsWith('no-restricted-syntax'));
      expect(broken, file).toHaveLength(2);
      expect(broken[0]).toMatch(/names no system's service or link: take it from the config/);
    }
  });

  it("lets the reference system's own material name its services", async () => {
    const own = await rulesBroken('reference/chaos/sneaky.ts', naming);
    expect(own.filter((line) => line.startsWith('no-restricted-syntax'))).toEqual([]);
  });
});
