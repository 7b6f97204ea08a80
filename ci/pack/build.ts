// Builds the harness CLI as a package of its own and packs it: `node ci/pack/build.ts [--out DIR]`
// writes DIR/package (bundled JavaScript: the CLI and every @harness workspace package it uses;
// third-party packages stay dependencies, pinned to the versions installed here) and runs
// `npm pack` there, printing the tarball's path. A project then installs it with
// `npm install <tarball>` and runs `npx harness --config <its config> contracts|chaos|…`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { REPO_ROOT } from '@harness/runtime';

const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(REPO_ROOT, 'dist', 'cli') } } });
const out = path.resolve(values.out);
const pkgDir = path.join(out, 'package');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(pkgDir, { recursive: true });

/** The npm package a bare import names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? specifier);
};

// Every third-party import stays an import, and becomes a dependency of the package.
const external = new Set<string>();
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@harness/')) return undefined;
      external.add(packageOf(args.path));
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: {
    'bin/harness': path.join(REPO_ROOT, 'ci', 'pack', 'entry.ts'),
    config: path.join(REPO_ROOT, 'ci', 'src', 'config.ts'),
  },
  outdir: pkgDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  outExtension: { '.js': '.js' },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});

const bin = path.join(pkgDir, 'bin', 'harness.js');
fs.writeFileSync(bin, `#!/usr/bin/env node\n${fs.readFileSync(bin, 'utf8').replace(/^#!.*\n/, '')}`);
fs.chmodSync(bin, 0o755);
// The pinned tool versions `doctor` and `up` check against (read beside the package's root).
fs.copyFileSync(path.join(REPO_ROOT, 'ci', 'tools.env'), path.join(pkgDir, 'tools.env'));

/** The installed version of a dependency: in a workspace package's node_modules, else the root's. */
const versionOf = (name: string): string => {
  for (const dir of [...workspaceDirs(), REPO_ROOT]) {
    const manifest = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(manifest)) return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  throw new Error(`cannot find the installed version of ${name}`);
};
function workspaceDirs(): string[] {
  const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(REPO_ROOT, pattern.slice(0, -2)))
          .map((dir) => path.join(REPO_ROOT, pattern.slice(0, -2), dir))
      : [path.join(REPO_ROOT, pattern)],
  );
}
const dependencies = Object.fromEntries([...external].sort().map((name) => [name, versionOf(name)]));
const manifest = {
  name: '@harness/ci',
  version: (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
  description:
    'Contract-first testing and chaos harness: Pact, Toxiproxy and k6 on any system described by a harness.config.ts',
  type: 'module',
  license: 'MIT',
  engines: { node: '>=24 <25' },
  bin: { harness: 'bin/harness.js' },
  exports: { './config': './config.js', './package.json': './package.json' },
  files: ['bin', 'chunks', 'config.js', 'tools.env'],
  dependencies,
};
fs.writeFileSync(path.join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const packed =
  execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: pkgDir, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop() ?? '';
console.log(path.join(out, packed));
