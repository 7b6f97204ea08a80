import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LinkId } from '@harness/runtime';
import {
  CONSUMERS_DONE_ENV,
  CONTRACT_POSTGRES_FILE_ENV,
  LINK_FILTER_ENV,
  startContractPostgres,
  type ContractPostgres,
  type PactLink,
} from '@harness/pact';

export interface ContractTestOutcome {
  /** Consumer test file outcome per link (absent: the file did not run). */
  consumers: Map<LinkId, { ok: boolean; detail: string }>;
  /** The provider verification test passed (per-link detail is in its reports). */
  providersRan: boolean;
  exitCode: number;
}

interface VitestJson {
  testResults?: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults?: Array<{ title: string; status: string; failureMessages?: string[] }>;
  }>;
}

/**
 * Runs the consumer tests and the provider verifications of pact/vitest.contracts.config.ts,
 * limited to the given links, as two vitest runs side by side on one PostgreSQL started here while
 * they boot (HARNESS_PACT_POSTGRES_URL_FILE): the
 * providers' run starts its system at once and verifies when the consumers' run has ended (its
 * pacts written; HARNESS_PACT_CONSUMERS_DONE_FILE), and `afterConsumers` (the pacts vs specs check)
 * runs at that moment too, beside the verifications. Reads the per-file outcome from both JSON
 * reports and writes one JUnit file of both.
 */
export async function runContractTests(options: {
  repoRoot: string;
  links: readonly PactLink[];
  allLinks: boolean;
  /**
   * The consumers' JSON report; the providers' run writes `<name>.providers.json` beside it, and
   * each run its JUnit XML (junit-consumers.xml, junit-providers.xml).
   */
  reportFile: string;
  /** JUnit XML of both runs, for the test command's closing counts. */
  junitFile: string;
  /** Called when the consumer tests have ended (their pacts are written), beside the verifications. */
  afterConsumers?: () => Promise<void>;
}): Promise<ContractTestOutcome> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-contract-run-'));
  const doneFile = path.join(scratch, 'consumers-done');
  const dir = path.dirname(options.reportFile);
  const reports = {
    consumers: { json: options.reportFile, junit: path.join(dir, 'junit-consumers.xml') },
    providers: {
      json: options.reportFile.replace(/\.json$/, '.providers.json'),
      junit: path.join(dir, 'junit-providers.xml'),
    },
  };
  for (const files of Object.values(reports)) for (const file of Object.values(files)) fs.rmSync(file, { force: true });
  fs.mkdirSync(path.dirname(options.reportFile), { recursive: true });
  // The two runs boot while PostgreSQL starts: their global setup waits for its URL in this file.
  const postgresFile = path.join(scratch, 'postgres.json');
  const env = {
    ...process.env,
    [LINK_FILTER_ENV]: options.links.map((link) => link.id).join(','),
    [CONTRACT_POSTGRES_FILE_ENV]: postgresFile,
    [CONSUMERS_DONE_ENV]: doneFile,
  };
  const run = (
    project: string,
    files: { json: string; junit: string },
    filters: string[],
    held: boolean,
  ): Promise<number> =>
    runVitest(options.repoRoot, env, held, [
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${files.json}`,
      '--reporter=junit',
      `--outputFile.junit=${files.junit}`,
      ...filters,
    ]);
  const consumerFilters = options.allLinks ? [] : options.links.map((link) => `consumers/${link.id}.`);
  // The consumers' output as it comes, the providers' held and printed whole when their run ends.
  const providers = run('pact-providers', reports.providers, options.allLinks ? [] : ['providers/'], true);
  const consumers = run('pact-consumers', reports.consumers, consumerFilters, false).then(async (code) => {
    // Also after a failure: the verifications then report the pacts that are missing.
    fs.writeFileSync(doneFile, `${code}\n`);
    await options.afterConsumers?.();
    return code;
  });
  let postgres: ContractPostgres | undefined;
  let postgresError: unknown;
  try {
    postgres = await startContractPostgres();
    publishPostgres(postgresFile, { url: postgres.url });
  } catch (error) {
    postgresError = error;
    publishPostgres(postgresFile, { error: error instanceof Error ? error.message : String(error) });
  }
  try {
    // Both runs end before anything is thrown (the PostgreSQL they share stops after them).
    const settled = await Promise.allSettled([consumers, providers]);
    if (postgresError !== undefined) throw postgresError;
    const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const codes = settled.map((result) => (result.status === 'fulfilled' ? result.value : 1));
    fs.writeFileSync(options.junitFile, mergeJunit([reports.consumers.junit, reports.providers.junit]));
    const consumerOutcome = readOutcome(reports.consumers.json);
    const providerOutcome = readOutcome(reports.providers.json);
    return {
      consumers: consumerOutcome.consumers,
      providersRan: providerOutcome.providersRan,
      exitCode: codes.find((code) => code !== 0) ?? 0,
    };
  } finally {
    await postgres?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the PostgreSQL the runs wait for (or why there is none) in one step: a reader never sees half. */
function publishPostgres(file: string, content: { url: string } | { error: string }): void {
  fs.writeFileSync(`${file}.part`, JSON.stringify(content));
  fs.renameSync(`${file}.part`, file);
}

function runVitest(repoRoot: string, env: NodeJS.ProcessEnv, held: boolean, args: string[]): Promise<number> {
  const argv = [
    path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    path.join(repoRoot, 'pact', 'vitest.contracts.config.ts'),
    ...args,
  ];
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, argv, {
      cwd: repoRoot,
      stdio: held ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env,
    });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
    let ended = false;
    const end = (code: number): void => {
      if (ended) return;
      ended = true;
      if (chunks.length > 0) process.stdout.write(Buffer.concat(chunks));
      resolve(code);
    };
    child.on('close', (code, signal) => end(code ?? (signal ? 1 : 0)));
    child.on('error', () => end(127));
  });
}

/** One JUnit document of several: their test suites under one root whose counts are the sums. */
export function mergeJunit(files: readonly string[]): string {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const bodies: string[] = [];
  for (const file of files) {
    let xml: string;
    try {
      xml = fs.readFileSync(file, 'utf8');
    } catch {
      // A run that wrote no report (it crashed before) counts as one error.
      totals.tests += 1;
      totals.errors += 1;
      bodies.push(
        `<testsuite name="${path.basename(file)}" tests="1" failures="0" errors="1" skipped="0"><testcase name="report written"><error message="no JUnit report"/></testcase></testsuite>`,
      );
      continue;
    }
    const root = /<testsuites\b([^>]*)>([\s\S]*)<\/testsuites>/.exec(xml);
    const attributes = root?.[1] ?? '';
    const attr = (name: string): number => Number(new RegExp(`\\b${name}="([\\d.]+)"`).exec(attributes)?.[1] ?? 0);
    totals.tests += attr('tests');
    totals.failures += attr('failures');
    totals.errors += attr('errors');
    totals.skipped += attr('skipped');
    totals.time = Math.max(totals.time, attr('time'));
    bodies.push((root?.[2] ?? '').trim());
  }
  const { tests, failures, errors, skipped, time } = totals;
  return `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="contract tests" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}">\n${bodies.join('\n')}\n</testsuites>\n`;
}

function readOutcome(file: string): Omit<ContractTestOutcome, 'exitCode'> {
  const consumers = new Map<LinkId, { ok: boolean; detail: string }>();
  let report: VitestJson;
  try {
    report = JSON.parse(fs.readFileSync(file, 'utf8')) as VitestJson;
  } catch {
    return { consumers, providersRan: false };
  }
  let providersRan = false;
  for (const result of report.testResults ?? []) {
    const base = path.basename(result.name);
    const link = /^(L\d+)\..*\.pact\.test\.ts$/.exec(base)?.[1] as LinkId | undefined;
    if (link) {
      const failed = (result.assertionResults ?? []).filter((assertion) => assertion.status === 'failed');
      const ok = result.status === 'passed' && failed.length === 0;
      const detail = ok
        ? `${result.assertionResults?.length ?? 0} consumer tests passed`
        : failed.length > 0
          ? `consumer test failed: ${failed.map((assertion) => assertion.title).join('; ')}`
          : `consumer test file failed: ${(result.message ?? result.status).split('\n')[0] ?? ''}`;
      consumers.set(link, { ok, detail });
    } else if (base.endsWith('.verify.test.ts')) {
      providersRan = true;
    }
  }
  return { consumers, providersRan };
}
