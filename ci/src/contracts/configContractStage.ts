import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generate } from '@harness/contracts/generate';
import { REPO_ROOT, startSystem, type LinkId, type ResolvedCommand, type ResolvedConfig } from '@harness/runtime';
import {
  breakingReportText,
  buildLinkMatrix,
  checkAllLinks,
  formatIssue,
  gateResult,
  linkMatrixHtml,
  linkMatrixText,
  pactFilePath,
  pactLinks,
  providersOf,
  readPactFile,
  runBreakingGate,
  type BreakingGateResult,
  type ContractsLayout,
  type ProviderVerification,
} from '@harness/pact';
import { dim, green, red, yellow } from '../output.ts';
import { startClock } from './stageClock.ts';
import { verifyProviderByUrl } from './verifyProviderByUrl.ts';
import { junitXml, type JunitCase } from '../junitXml.ts';

export interface ConfigContractOptions {
  links?: readonly string[];
  base?: string;
  /** Where the JUnit XML goes (the test command counts it). */
  junitFile: string;
}

/**
 * The contract stage for any system described by a harness.config.ts: the consumers' own Pact
 * tests (a command each, in whatever language) write pact files into `contracts.pacts`; every
 * provider is verified over HTTP against its running service with Pact's provider-state change
 * endpoint (and its message endpoint for message links); the pacts are checked against the specs;
 * the breaking-change gate compares the specs with the base ref; the link matrix says which link is
 * green. Exit code 1 when any cell is red.
 */
export async function runConfigContractStage(config: ResolvedConfig, options: ConfigContractOptions): Promise<number> {
  const clock = startClock();
  const all = pactLinks(config.topology);
  const links = options.links ? all.filter((link) => options.links?.includes(link.id)) : all;
  const reportDir = path.join(REPO_ROOT, 'reports', 'systems', config.name, 'contracts');
  fs.rmSync(reportDir, { recursive: true, force: true });
  fs.mkdirSync(reportDir, { recursive: true });
  const specsDir = config.contracts.specs;
  const layout: ContractsLayout = {
    contractsDir: specsDir ?? config.dir,
    generatedDir: path.join(reportDir, 'generated'),
    pactsDir: config.contracts.pacts,
  };
  fs.mkdirSync(layout.pactsDir, { recursive: true });
  const cases: JunitCase[] = [];
  console.log(`=== contracts of ${config.name}: ${links.map((link) => link.id).join(', ')}`);

  const gate = clock.step('breaking-change gate', () => breakingGate(config, layout, options.base));
  if (specsDir)
    await clock.step('bundle specs', () => generate({ contractsDir: specsDir, outDir: layout.generatedDir }));

  // 1. The consumers' own tests write the pacts.
  const started = Date.now();
  const consumerRuns = new Map<string, { ok: boolean; detail: string }>();
  for (const test of config.contracts.consumerTests) {
    const run = await clock.step(`consumer tests: ${test.name}`, () =>
      runCommand(test, { PACT_DIR: layout.pactsDir }, path.join(reportDir, `consumer-${test.name}.log`)),
    );
    consumerRuns.set(test.name, run);
    cases.push({
      suite: 'consumer tests',
      name: test.name,
      seconds: run.seconds,
      failure: run.ok ? undefined : run.detail,
    });
    console.log(run.ok ? green(`  ${test.name}: passed`) : red(`  ${test.name}: ${run.detail}`));
  }
  const allConsumersOk = [...consumerRuns.values()].every((run) => run.ok);
  const consumers = new Map<LinkId, { ok: boolean; detail: string }>();
  const pactFiles = new Map<LinkId, { interactions: number } | { error: string }>();
  for (const link of links) {
    const file = pactFilePath(layout, link);
    const fresh = fs.existsSync(file) && fs.statSync(file).mtimeMs >= started - 1_000;
    try {
      pactFiles.set(link.id, { interactions: readPactFile(file).interactions.length });
    } catch (error) {
      pactFiles.set(link.id, { error: (error as Error).message });
    }
    consumers.set(
      link.id,
      !fresh
        ? { ok: false, detail: `no consumer test wrote ${path.basename(file)} in this run` }
        : allConsumersOk
          ? { ok: true, detail: `written by the consumer tests (${path.basename(file)})` }
          : { ok: false, detail: 'a consumer test command failed' },
    );
  }

  // 2. Every provider verified against its running service.
  const verifications = new Map<string, ProviderVerification | undefined>();
  const providers = providersOf(links);
  if (providers.length > 0) {
    const system = await clock.step('start the system', () =>
      startSystem({ config, extraEnv: providerEnv(config), log: (line) => console.log(dim(`  ${line}`)) }),
    );
    try {
      for (const provider of providers) {
        const verification = await clock.step(`verify ${provider}`, () =>
          verifyProviderByUrl({
            config,
            provider,
            links,
            layout,
            reportDir,
            url: system.infra.description.services[provider]?.url,
          }),
        );
        verifications.set(provider, verification);
        cases.push({
          suite: 'provider verification',
          name: provider,
          seconds: verification.durationMs / 1000,
          failure: verification.ok ? undefined : verification.problems.join('; ') || 'verification failed',
        });
      }
    } finally {
      await system.stop();
    }
  }

  // A team's own pacts need not name their operations the way the reference system's do.
  const conformance = await clock.step('pacts vs specs', () => checkAllLinks(links, layout, { strictNames: false }));
  const gateOutcome = await gate;
  const matrix = buildLinkMatrix({
    links,
    consumerTests: consumers,
    pactFiles,
    conformance,
    verifications,
    gate: gateOutcome,
  });
  for (const row of matrix.rows)
    cases.push({
      suite: 'link matrix',
      name: `${row.id} ${row.consumer} → ${row.provider}`,
      seconds: 0,
      failure: row.ok
        ? undefined
        : Object.entries(row.cells)
            .filter(([, cell]) => cell.status === 'fail')
            .map(([column, cell]) => `${column}: ${cell.detail}`)
            .join('; '),
    });
  fs.writeFileSync(path.join(reportDir, 'link-matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  fs.writeFileSync(path.join(reportDir, 'link-matrix.html'), linkMatrixHtml(matrix));
  fs.writeFileSync(path.join(reportDir, 'breaking-changes.txt'), breakingReportText(gateOutcome));
  fs.mkdirSync(path.dirname(options.junitFile), { recursive: true });
  fs.writeFileSync(options.junitFile, junitXml(`contracts ${config.name}`, cases));

  for (const [id, result] of conformance) {
    for (const issue of result.issues) console.log(red(`  ${id} pact vs spec: ${formatIssue(issue)}`));
    for (const note of result.notes) console.log(yellow(`  ${id} note: ${note}`));
  }
  console.log(`\n${breakingReportText(gateOutcome).trimEnd()}`);
  console.log(`\n${linkMatrixText(matrix, { green, red })}`);
  console.log(dim(`\nreports: ${path.relative(process.cwd(), reportDir) || reportDir}/`));
  console.log('timing:');
  for (const step of clock.steps) console.log(`  ${step.name.padEnd(40)} ${step.seconds.toFixed(1)} s`);
  console.log(matrix.ok ? green('contracts: every link is green') : red('contracts: FAILED (red cells above)'));
  return matrix.ok ? 0 : 1;
}

/** Extra env per service while the contract stage runs the system: `contracts.providers.<name>.env`. */
function providerEnv(config: ResolvedConfig): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(config.contracts.providers).map(([name, provider]) => [name, provider.env ?? {}]),
  );
}

/** The gate on the spec folder's git history; outside a git repository there is nothing to compare with. */
async function breakingGate(
  config: ResolvedConfig,
  layout: ContractsLayout,
  base: string | undefined,
): Promise<BreakingGateResult> {
  const repo = gitTopLevel(layout.contractsDir);
  if (!repo) return gateResult({ kind: 'none', reason: `${layout.contractsDir} is not in a git repository` }, []);
  const contractsPath = path.relative(repo, layout.contractsDir).split(path.sep).join('/');
  return runBreakingGate({ repo, layout, contractsPath, ...(base ? { base } : {}) });
}

function gitTopLevel(dir: string): string | undefined {
  for (let current = dir; ; current = path.dirname(current)) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

/** Runs one command with its output in a log; a failure says how it ended and shows the log's tail. */
function runCommand(
  command: ResolvedCommand,
  extraEnv: Record<string, string>,
  logFile: string,
): Promise<{ ok: boolean; detail: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'w');
    const child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: { ...process.env, ...command.env, ...extraEnv },
      stdio: ['ignore', log, log],
    });
    const done = (ok: boolean, how: string): void => {
      fs.closeSync(log);
      const seconds = (performance.now() - started) / 1000;
      const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      resolve({ ok, detail: ok ? how : `${how} (${command.command} ${command.args.join(' ')})\n${tail}`, seconds });
    };
    child.on('error', (error) => done(false, `could not start: ${error.message}`));
    child.on('exit', (code, signal) => done(code === 0, code === 0 ? 'passed' : `exited ${code ?? signal}`));
  });
}
