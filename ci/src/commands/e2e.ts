import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from '@harness/runtime';
import type { Command } from '../cli.ts';
import { CliError, green, parseOptions, red } from '../output.ts';
import { junitCounts } from '../stages.ts';

const E2E_DIR = path.join(REPO_ROOT, 'e2e');
const JUNIT = path.join(REPO_ROOT, 'reports', 'junit', 'e2e.xml');
const HTML_REPORT = path.join(REPO_ROOT, 'reports', 'playwright', 'index.html');
const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'storefront.png');

const usage = [
  'harness e2e [--screenshot] [-- PLAYWRIGHT_ARGS...]',
  '',
  'Runs the Playwright suite (e2e/) in the system Chromium against the system `harness up` runs,',
  'or starts one for the run and stops it after. Writes reports/playwright/ (HTML, traces and',
  'screenshots of failures) and reports/junit/e2e.xml. --screenshot also saves the storefront',
  'with a confirmed order to docs/storefront.png. Arguments after -- go to `playwright test`,',
  'e.g. `harness e2e -- --grep breaker`.',
].join('\n');

/** The Playwright CLI of the e2e package (hoisted to the root or in e2e/node_modules). */
function playwrightCli(): string {
  try {
    return createRequire(path.join(E2E_DIR, 'package.json')).resolve('@playwright/test/cli');
  } catch {
    throw new CliError(
      '@playwright/test is not installed: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install -w @harness/e2e (no browser is downloaded)',
    );
  }
}

function runPlaywright(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [playwrightCli(), 'test', ...args], { cwd: E2E_DIR, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

export const e2e: Command = {
  summary: 'run the Playwright end-to-end tests of the storefront (attaches to or starts the system)',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions(args, { screenshot: { type: 'boolean' } }, usage);
    const env: NodeJS.ProcessEnv = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
    if (values.screenshot) {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      env.HARNESS_E2E_SCREENSHOT = SCREENSHOT;
    }
    fs.rmSync(JUNIT, { force: true });
    const started = performance.now();
    const code = await runPlaywright(positionals, env);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const rel = (file: string): string => path.relative(process.cwd(), file) || file;
    if (fs.existsSync(HTML_REPORT)) console.log(`report       ${rel(HTML_REPORT)}`);
    if (values.screenshot && fs.existsSync(SCREENSHOT)) console.log(`screenshot   ${rel(SCREENSHOT)}`);
    const counts = fs.existsSync(JUNIT) ? junitCounts(fs.readFileSync(JUNIT, 'utf8')) : undefined;
    const summary = counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no JUnit results';
    console.log(
      code === 0 ? green(`e2e: passed (${summary}) in ${seconds} s`) : red(`e2e: FAILED (${summary}) in ${seconds} s`),
    );
    return code;
  },
};
