import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';
import { CliError, green, parseOptions, red } from './output.ts';

interface Stage {
  name: string;
  description: string;
  /**
   * The stage's command, or commands that run side by side (each one's output is printed whole when
   * it ends; the stage fails if any of them fails).
   */
  command: string[] | { together: string[][] };
  /** JUnit file(s) the stage writes, whose counts go into the closing line. */
  junit?: string | readonly string[];
  /** Runs only when asked for with `--with NAME` (it needs things `npm run setup` does not install). */
  optional?: boolean;
}

const REPORTS = path.join(REPO_ROOT, 'reports');

/** The stages of the README's test command, in order. */
const STAGES: Stage[] = [
  {
    name: 'codegen',
    description: 'generated clients and message models are up to date',
    command: ['npm', 'run', '--silent', 'generate:check', '-w', '@harness/contracts'],
  },
  {
    name: 'typecheck',
    description: 'TypeScript, strict, whole workspace',
    command: {
      together: [
        ['npx', 'tsc', '-p', 'tsconfig.json'],
        ['npx', 'tsc', '-p', 'load/tsconfig.json'],
      ],
    },
  },
  {
    name: 'lint',
    description: 'ESLint (layering rules), Prettier and buf lint (the gRPC contracts)',
    // ESLint (type-aware, 28 s on this machine) beside Prettier and buf (13 s): 33 s instead of 41.
    command: {
      together: [
        ['npx', 'eslint', '.'],
        ['sh', '-c', 'npx prettier --check . --log-level warn && npx buf lint contracts/proto'],
      ],
    },
  },
  {
    name: 'tests',
    description: 'unit, route and integration tests on real PostgreSQL, RabbitMQ and Toxiproxy',
    command: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=junit',
      `--outputFile.junit=${path.join(REPORTS, 'junit', 'vitest.xml')}`,
    ],
    junit: path.join(REPORTS, 'junit', 'vitest.xml'),
  },
  {
    name: 'contracts',
    description:
      'Pact on every link: consumer tests, provider verification, pacts vs specs, breaking-change gate, link matrix',
    command: ['node', 'ci/bin/harness.ts', 'contracts'],
    junit: path.join(REPORTS, 'junit', 'contracts.xml'),
  },
  {
    name: 'chaos',
    description:
      'chaos scenarios (CI profile, two systems side by side): Toxiproxy, process and message faults, oracles and data invariants',
    command: ['node', 'ci/bin/harness.ts', 'chaos', '--profile', 'ci', '--parallel', '2'],
    junit: path.join(REPORTS, 'junit', 'chaos.xml'),
  },
  {
    name: 'mutate',
    description:
      "mutation score: the CI scenarios against each declared mutant (order's breaker, retries, bulkhead off), three at a time; the chaos stage is the baseline",
    command: ['node', 'ci/bin/harness.ts', 'mutate', '--no-baseline', '--parallel', '3'],
    junit: path.join(REPORTS, 'junit', 'mutate-reference-shop.xml'),
  },
  {
    name: 'explore',
    description:
      "fault-space exploration, the config's CI subset (explore.ci: every fault class on order → payment, order's database, broker and process, notification killed, then pairs after dynamic reduction), on two systems side by side, judged by the kit's oracles, the response rules and the invariants",
    command: ['node', 'ci/bin/harness.ts', 'explore', '--ci', '--parallel', '2'],
    junit: path.join(REPORTS, 'junit', 'explore-reference-shop.xml'),
  },
  {
    name: 'load',
    description: 'k6 smoke, a short average run and payment latency under load (harness up), gated on SLO thresholds',
    command: ['node', 'ci/bin/harness.ts', 'load', 'ci', '--start', '--junit', path.join(REPORTS, 'junit', 'load.xml')],
    junit: path.join(REPORTS, 'junit', 'load.xml'),
  },
  {
    name: 'e2e',
    description: 'Playwright: storefront flows in Chromium (payment link faulted) and the combined report',
    command: ['node', 'ci/bin/harness.ts', 'e2e'],
    junit: path.join(REPORTS, 'junit', 'e2e.xml'),
  },
  {
    name: 'fuzz',
    description:
      'Schemathesis against every service of the reference system: all checks, examples, coverage, fuzzing and stateful phases',
    command: ['node', 'ci/bin/harness.ts', 'fuzz', '--start'],
    junit: path.join(REPORTS, 'junit', 'fuzz.xml'),
  },
  {
    name: 'example',
    description:
      'the harness on a system that is not ours (examples/py-shop, Python): its tests, contracts, chaos, explore, mutate and load, and chaos with its breaker or retries switched off failing on the oracle that catches it',
    command: ['node', 'ci/scripts/exampleStage.ts'],
    junit: path.join(REPORTS, 'junit', 'example.xml'),
  },
  {
    name: 'kafka',
    description:
      'the reference system on Kafka (HARNESS_BROKER=kafka): harness up end to end, then the broker restart, poison and duplicate messages and broker link cut scenarios',
    command: ['bash', 'ci/kafka/stage.sh'],
    junit: [path.join(REPORTS, 'junit', 'kafka-system.xml'), path.join(REPORTS, 'kafka', 'junit', 'chaos.xml')],
  },
  {
    name: 'containers',
    description:
      'the containers provider (Docker engine, locally built images): its tests, then contracts and chaos on it, and a broker outage on Kafka',
    command: ['bash', 'ci/containers/stage.sh'],
    junit: [
      ...['provider', 'contracts', 'chaos'].map((part) => path.join(REPORTS, 'junit', `containers-${part}.xml`)),
      path.join(REPORTS, 'containers-kafka', 'junit', 'chaos.xml'),
    ],
    optional: true,
  },
];

const stageJunitFiles = (stage: Stage): readonly string[] =>
  stage.junit === undefined ? [] : typeof stage.junit === 'string' ? [stage.junit] : stage.junit;

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Reads the totals of a JUnit XML file (testsuites or testsuite root). */
export function junitCounts(xml: string): Counts {
  const root = /<testsuites?\b([^>]*)>/.exec(xml)?.[1] ?? '';
  const attr = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  return { passed: attr('tests') - failed - skipped, failed, skipped };
}

function runCommand(command: string[]): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command;
    const child = spawn(file ?? 'true', args, { cwd: REPO_ROOT, stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

/** Runs commands side by side; each one's output is printed whole when it ends. The first failure's code wins. */
export async function runTogether(commands: readonly string[][]): Promise<number> {
  const codes = await Promise.all(
    commands.map(
      (command) =>
        new Promise<number>((resolve) => {
          const [file, ...args] = command;
          const child = spawn(file ?? 'true', args, {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: process.env,
          });
          const chunks: Buffer[] = [];
          child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
          child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
          let finished = false;
          const done = (code: number): void => {
            if (finished) return;
            finished = true;
            if (chunks.length > 0) process.stdout.write(Buffer.concat(chunks));
            if (code !== 0) console.log(red(`${command.join(' ')}: exit ${code}`));
            resolve(code);
          };
          child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)));
          child.on('error', () => done(127));
        }),
    ),
  );
  return codes.find((code) => code !== 0) ?? 0;
}

export async function runStages(args: string[]): Promise<number> {
  const usage = 'harness test [--only STAGE,...] [--with OPTIONAL_STAGE,...]';
  const { values } = parseOptions(args, { only: { type: 'string' }, with: { type: 'string' } }, usage);
  const extra = values.with?.split(',').map((name) => name.trim()) ?? [];
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = [...(only ?? []), ...extra].filter((name) => !STAGES.some((stage) => stage.name === name));
  if (unknown.length > 0)
    throw new CliError(`unknown stage(s) ${unknown.join(', ')}; stages: ${STAGES.map((s) => s.name).join(', ')}`, 2);
  const stages = STAGES.filter((stage) =>
    only ? only.includes(stage.name) : !stage.optional || extra.includes(stage.name),
  );
  fs.mkdirSync(path.join(REPORTS, 'junit'), { recursive: true });
  // Whole seconds: some filesystems keep coarse modification times.
  const invocationStart = new Date(Math.floor(Date.now() / 1000) * 1000);
  const results: Array<{ stage: Stage; ok: boolean; seconds: number }> = [];
  for (const stage of stages) {
    console.log(`\n=== stage ${stage.name}: ${stage.description}`);
    const started = performance.now();
    const code = Array.isArray(stage.command)
      ? await runCommand(stage.command)
      : await runTogether(stage.command.together);
    const seconds = (performance.now() - started) / 1000;
    results.push({ stage, ok: code === 0, seconds });
    console.log(
      `=== stage ${stage.name}: ${code === 0 ? green('passed') : red(`failed (exit ${code})`)} in ${seconds.toFixed(1)} s`,
    );
    if (code !== 0) break;
  }
  // The combined report links whatever the stages of this invocation produced, also after a failure.
  await runCommand(['node', 'ci/bin/harness.ts', 'report', '--since', invocationStart.toISOString()]);
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const { stage } of results) {
    for (const file of stageJunitFiles(stage)) {
      // A file left by an earlier invocation is not this run's count.
      if (!fs.existsSync(file) || fs.statSync(file).mtime < invocationStart) continue;
      const counts = junitCounts(fs.readFileSync(file, 'utf8'));
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    }
  }
  const failedStages = results.filter((r) => !r.ok).map((r) => r.stage.name);
  const notRun = stages.length - results.length;
  console.log('\nsummary:');
  for (const r of results)
    console.log(`  ${r.ok ? 'ok    ' : 'FAILED'} ${r.stage.name.padEnd(10)} ${r.seconds.toFixed(1)} s`);
  if (notRun > 0) console.log(`  (${notRun} stage(s) not run after the failure)`);
  // A failed stage without its own test counts still fails the closing line.
  const failed = Math.max(totals.failed, failedStages.length);
  console.log(`tests: ${totals.passed} passed, ${failed} failed`);
  return failedStages.length > 0 || totals.failed > 0 ? 1 : 0;
}
