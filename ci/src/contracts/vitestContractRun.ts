import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LinkId } from '@harness/runtime';
import { LINK_FILTER_ENV, type PactLink } from '@harness/pact';

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
 * Runs the consumer tests, then the provider verifications, in one vitest run of
 * pact/vitest.contracts.config.ts (one PostgreSQL for both), limited to the given links, and reads
 * the per-file outcome from its JSON report.
 */
export async function runContractTests(options: {
  repoRoot: string;
  links: readonly PactLink[];
  allLinks: boolean;
  reportFile: string;
  /** JUnit XML of the run, for the test command's closing counts. */
  junitFile: string;
}): Promise<ContractTestOutcome> {
  const filters = options.allLinks ? [] : [...options.links.map((link) => `consumers/${link.id}.`), 'providers/'];
  fs.rmSync(options.reportFile, { force: true });
  fs.mkdirSync(path.dirname(options.reportFile), { recursive: true });
  const args = [
    path.join(options.repoRoot, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    path.join(options.repoRoot, 'pact', 'vitest.contracts.config.ts'),
    '--project',
    'pact-consumers',
    '--project',
    'pact-providers',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${options.reportFile}`,
    '--reporter=junit',
    `--outputFile.junit=${options.junitFile}`,
    ...filters,
  ];
  const env = { ...process.env, [LINK_FILTER_ENV]: options.links.map((link) => link.id).join(',') };
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.repoRoot, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
  return { ...readOutcome(options.reportFile), exitCode };
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
