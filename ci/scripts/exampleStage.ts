// The `example` stage of `harness test`: the harness on a system that is not ours
// (examples/py-shop, Python). Its own unit tests, then `harness contracts`, `harness chaos` and
// `harness explore --only P1`, `harness load smoke`, `harness bench` and `harness e2e` on its config, then the same chaos with its breaker and then its retries switched off, which must
// fail naming the black-box oracle that caught each. Writes reports/junit/example.xml.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';

const config = path.join(REPO_ROOT, 'examples', 'py-shop', 'harness.config.ts');
const tools =
  process.env.HARNESS_TOOLS_DIR ??
  path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'harness');
const python = path.join(tools, 'venvs', 'py-shop', 'bin', 'python');
const junitDir = path.join(REPO_ROOT, 'reports', 'junit');
const cases: string[] = [];
let failures = 0;
let tests = 0;

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = REPO_ROOT,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (chunk: Buffer): void => {
      process.stdout.write(chunk);
      output += chunk.toString();
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => resolve({ code: 127, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function record(name: string, seconds: number, failure?: string): void {
  tests++;
  if (failure !== undefined) failures++;
  cases.push(
    `    <testcase classname="example.py-shop" name="${escape(name)}" time="${seconds.toFixed(3)}">` +
      (failure === undefined
        ? ''
        : `<failure message="${escape(failure.split('\n')[0] ?? '')}">${escape(failure)}</failure>`) +
      '</testcase>',
  );
}

/** Takes the testcases of a JUnit file this stage's steps wrote into the stage's own report. */
function absorb(file: string): void {
  if (!fs.existsSync(file)) return;
  const xml = fs.readFileSync(file, 'utf8');
  for (const match of xml.matchAll(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g)) {
    tests++;
    if (/<failure\b|<error\b/.test(match[0])) failures++;
    cases.push(`    ${match[0]}`);
  }
}

async function step(name: string, work: () => Promise<string | undefined>): Promise<void> {
  console.log(`\n--- example: ${name}`);
  const started = performance.now();
  const failure = await work();
  record(name, (performance.now() - started) / 1000, failure);
}

if (!fs.existsSync(python)) {
  console.error(
    `py-shop's virtualenv is missing (${python}); run: bash examples/py-shop/setup.sh (npm run setup does)`,
  );
  process.exit(1);
}
fs.mkdirSync(junitDir, { recursive: true });
const pytestXml = path.join(junitDir, 'example-pytest.xml');
const pytest = await run(python, ['-m', 'pytest', 'tests', '-q', `--junitxml=${pytestXml}`], {}, path.dirname(config));
absorb(pytestXml);
if (pytest.code !== 0 && !fs.existsSync(pytestXml)) record('pytest', 0, `pytest exited ${pytest.code}`);

await step('harness contracts --config examples/py-shop', async () => {
  const result = await run('node', ['ci/bin/harness.ts', '--config', config, 'contracts']);
  return result.code === 0 ? undefined : `exited ${result.code}`;
});
absorb(path.join(junitDir, 'contracts-py-shop.xml'));
// Two systems side by side: each scenario's block names the system that ran it.
await step('harness chaos --parallel 2 --config examples/py-shop', async () => {
  const result = await run('node', ['ci/bin/harness.ts', '--config', config, 'chaos', '--parallel', '2']);
  if (result.code !== 0) return `exited ${result.code}`;
  const systems = new Set([...result.output.matchAll(/^--- \S+: .* \(system ([12])\)$/gm)].map((m) => m[1]));
  return systems.size === 2
    ? undefined
    : `scenarios ran on system(s) ${[...systems].join(', ') || 'none'}, not 1 and 2`;
});
absorb(path.join(junitDir, 'chaos-py-shop.xml'));
// The CI subset of the fault space: every fault class on the HTTP link (the whole matrix, with
// the database, broker and process rows, is `harness explore` without --only: about 3 minutes), on
// two systems side by side: each run's block names the system that ran it.
await step('harness explore --only P1 --parallel 2 --config examples/py-shop', async () => {
  const result = await run('node', [
    'ci/bin/harness.ts',
    '--config',
    config,
    'explore',
    '--only',
    'P1',
    '--parallel',
    '2',
  ]);
  if (result.code !== 0) return `exited ${result.code}`;
  const systems = new Set([...result.output.matchAll(/^--- .* \(system ([12])\)$/gm)].map((m) => m[1]));
  return systems.size === 2 ? undefined : `runs on system(s) ${[...systems].join(', ') || 'none'}, not 1 and 2`;
});
absorb(path.join(junitDir, 'explore-py-shop.xml'));
// Ctrl-C while a fault is in force: explore rolls it back, stops the system and leaves no process.
await step('Ctrl-C on harness explore rolls back and leaves nothing running', async () => {
  // Every process the run starts inherits this mark in its environment, so what is left afterwards
  // is found by the mark, not by name (other harness runs on the machine are not this run's).
  const mark = randomUUID();
  const child = spawn('node', ['ci/bin/harness.ts', '--config', config, 'explore', '--only', 'P1 latency'], {
    cwd: REPO_ROOT,
    env: { ...process.env, HARNESS_EXAMPLE_RUN: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let sent = false;
  const take = (chunk: Buffer): void => {
    process.stdout.write(chunk);
    output += chunk.toString();
    if (!sent && /inject p1-latency/.test(output)) {
      sent = true;
      setTimeout(() => child.kill('SIGINT'), 1_000);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  if (!sent) return `the fault was never injected (exit ${code})`;
  if (code !== 1) return `exited ${code} after SIGINT (expected 1: the run was cut short)`;
  if (!/SIGINT: stopping after rolling back/.test(output)) return 'no word of the rollback after SIGINT';
  const left = processesMarked(`HARNESS_EXAMPLE_RUN=${mark}`);
  return left.length === 0 ? undefined : `processes left running:\n${left.join('\n')}`;
});
await step('harness mutate --parallel 2 --config examples/py-shop', async () => {
  const result = await run('node', ['ci/bin/harness.ts', '--config', config, 'mutate', '--parallel', '2']);
  return result.code === 0 ? undefined : `exited ${result.code}`;
});
absorb(path.join(junitDir, 'mutate-py-shop.xml'));

await step('harness load smoke --start --config examples/py-shop', async () => {
  const junit = path.join(junitDir, 'load-py-shop.xml');
  const result = await run('node', [
    'ci/bin/harness.ts',
    '--config',
    config,
    'load',
    'smoke',
    '--start',
    '--junit',
    junit,
  ]);
  return result.code === 0 ? undefined : `exited ${result.code}`;
});
absorb(path.join(junitDir, 'load-py-shop.xml'));

await step('harness bench --start --config examples/py-shop: CPU per request per process, capacity', async () => {
  const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-example-bench-'));
  const result = await run('node', [
    'ci/bin/harness.ts',
    '--config',
    config,
    'bench',
    '--start',
    '--profile',
    'smoke',
    '--steps',
    '1,4',
    '--step-duration',
    '4s',
    '--rest',
    '1',
    '--reports-dir',
    reportsDir,
  ]);
  if (result.code !== 0) return `exited ${result.code}`;
  const file = fs.readdirSync(reportsDir).find((name) => /^bench-.*\.json$/.test(name));
  if (!file) return `no bench-*.json in ${reportsDir}`;
  const report = JSON.parse(fs.readFileSync(path.join(reportsDir, file), 'utf8')) as {
    steps: Array<{ vus: number; requests: number; cpu: { components: Array<{ name: string; msPerRequest: number }> } }>;
    capacity?: { requestsPerSecond: number };
    memory: { atRest: number };
  };
  fs.rmSync(reportsDir, { recursive: true, force: true });
  const measured = new Set(
    report.steps.flatMap((s) => s.cpu.components.filter((c) => c.msPerRequest > 0).map((c) => c.name)),
  );
  const missing = ['orders', 'payments', 'postgresql', 'toxiproxy'].filter((name) => !measured.has(name));
  if (report.steps.map((s) => s.vus).join(',') !== '1,4')
    return `steps ${report.steps.map((s) => s.vus).join(',')}, expected 1,4`;
  if (report.steps.some((s) => s.requests === 0)) return 'a step sent no request';
  if (missing.length > 0) return `no CPU measured for ${missing.join(', ')}`;
  if (!report.capacity || report.capacity.requestsPerSecond <= 0) return 'no capacity at the smoke SLO';
  if (!(report.memory.atRest > 0)) return 'no memory at rest';
  return undefined;
});

await step('harness e2e --start --config examples/py-shop', async () => {
  const result = await run('node', ['ci/bin/harness.ts', '--config', config, 'e2e', '--start']);
  return result.code === 0 ? undefined : `exited ${result.code}`;
});
absorb(path.join(REPO_ROOT, 'reports', 'systems', 'py-shop', 'e2e', 'junit.xml'));

// The oracles must catch a system whose mechanism is switched off (the mutation each is for).
const mutants = [
  { env: { ORDERS_BREAKER: 'off' }, scenario: 'payments-down-opens-breaker', oracle: 'breaker-engaged' },
  { env: { ORDERS_RETRIES: 'off' }, scenario: 'payments-resets-retries', oracle: 'retries-observed' },
  // The same mutant against a request-level fault: the first two attempts of every charge fail, so
  // the retries it must see do not depend on which connections a toxic happened to hit.
  { env: { ORDERS_RETRIES: 'off' }, scenario: 'payments-fail-first-two-attempts', oracle: 'retries-observed' },
];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-example-mutants-'));
for (const mutant of mutants) {
  const switched = Object.entries(mutant.env)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  await step(`chaos fails with ${switched}, naming ${mutant.oracle}`, async () => {
    const result = await run(
      'node',
      [
        'ci/bin/harness.ts',
        '--config',
        config,
        'chaos',
        mutant.scenario,
        '--reports-dir',
        path.join(scratch, mutant.scenario),
      ],
      mutant.env,
    );
    if (result.code === 0) return `chaos passed with ${switched}: the ${mutant.oracle} oracle did not catch it`;
    if (!new RegExp(`^\\s+${mutant.oracle}: `, 'm').test(result.output))
      return `chaos failed with ${switched}, but not naming ${mutant.oracle}`;
    return undefined;
  });
}
fs.rmSync(scratch, { recursive: true, force: true });

// Usable from another repository: the CLI packed with `npm pack`, installed into an empty project
// with a copy of py-shop, runs contracts and chaos there (state and reports in that project).
await step('packed CLI in an empty project: contracts and chaos on a copy of py-shop', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-packed-'));
  try {
    const built = await run('node', ['ci/pack/build.ts', '--out', path.join(work, 'pack')]);
    const tarball = built.output.trim().split('\n').pop() ?? '';
    if (built.code !== 0 || !tarball.endsWith('.tgz')) return `ci/pack/build.ts exited ${built.code}`;
    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(
      path.join(project, 'package.json'),
      `${JSON.stringify({ name: 'a-team-project', private: true, type: 'module' }, null, 2)}\n`,
    );
    const installed = await run(
      'npm',
      // --ignore-scripts: @pactflow/swagger-mock-validator's postinstall patches the ajv of its own
      // repository's layout and fails in any other (npm runs it when CI=true); nothing the harness
      // uses needs an install script.
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error', tarball],
      {},
      project,
    );
    if (installed.code !== 0) return `npm install of the packed CLI exited ${installed.code}`;
    fs.cpSync(path.dirname(config), path.join(project, 'py-shop'), {
      recursive: true,
      filter: (source) => !/[/\\](pacts|__pycache__|\.pytest_cache)$/.test(source),
    });
    for (const command of [['contracts'], ['chaos', 'payments-down-opens-breaker', 'broker-down-outbox-holds']]) {
      const result = await run('npx', ['harness', '--config', 'py-shop/harness.config.ts', ...command], {}, project);
      if (result.code !== 0) return `npx harness ${command[0]} in the packed project exited ${result.code}`;
    }
    for (const report of ['contracts/link-matrix.json', 'chaos/journal.json'])
      if (!fs.existsSync(path.join(project, 'reports', 'systems', 'py-shop', report)))
        return `the packed CLI wrote no reports/systems/py-shop/${report} in the project`;
    return undefined;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});
// The mutant runs rewrote the per-system chaos JUnit; the real run's cases are already absorbed.
fs.writeFileSync(
  path.join(junitDir, 'example.xml'),
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="example py-shop" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="example py-shop" tests="${tests}" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n'),
);
console.log(`\nexample: ${tests - failures} passed, ${failures} failed`);
process.exit(failures > 0 ? 1 : 0);

/** `pid command line` of each process whose environment holds `entry` (read from /proc). */
function processesMarked(entry: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry)) continue;
      found.push(`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim()}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
