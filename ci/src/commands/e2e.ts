import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readRunState, REPO_ROOT, referenceConfigFile, type ResolvedConfig } from '@harness/runtime';
import type { Command } from '../command.ts';
import { CliError, green, parseOptions, red } from '../output.ts';
import { junitCounts } from '../stages.ts';
import { commandConfig } from '../commandConfig.ts';
import { withSystem } from './withSystem.ts';

const E2E_DIR = path.join(REPO_ROOT, 'e2e');
const JUNIT = path.join(REPO_ROOT, 'reports', 'junit', 'e2e.xml');
const HTML_REPORT = path.join(REPO_ROOT, 'reports', 'playwright', 'index.html');
const SCREENSHOT = path.join(REPO_ROOT, 'docs', 'storefront.png');

const usage = [
  'harness e2e [--config FILE] [--screenshot] [--start] [-- PLAYWRIGHT_ARGS...]',
  '',
  'Runs the Playwright suite (e2e/) in the system Chromium against the system `harness up` runs,',
  'or starts one for the run and stops it after. Writes reports/playwright/ (HTML, traces and',
  'screenshots of failures) and reports/junit/e2e.xml. --screenshot also saves the storefront',
  'with a confirmed order to docs/storefront.png. Arguments after -- go to `playwright test`,',
  'e.g. `harness e2e -- --grep breaker`.',
  '',
  'With --config naming another system: its e2e.playwright config, BASE_URL = e2e.baseUrl (a URL, or',
  'a service of the running system; --start starts it first and stops it after); JUnit in',
  'reports/systems/<name>/e2e/junit.xml.',
].join('\n');

/** The Playwright CLI of the e2e package (hoisted to the root or in e2e/node_modules). */
function playwrightCli(from: string = path.join(E2E_DIR, 'package.json')): string {
  try {
    return createRequire(from).resolve('@playwright/test/cli');
  } catch {
    throw new CliError(
      '@playwright/test is not installed: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install -w @harness/e2e (no browser is downloaded)',
    );
  }
}

function runPlaywright(args: string[], env: NodeJS.ProcessEnv, cwd = E2E_DIR, cli = playwrightCli()): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'test', ...args], { cwd, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

export const e2e: Command = {
  summary: 'run the Playwright end-to-end tests of the storefront (attaches to or starts the system)',
  usage,
  async run(args) {
    const { values, positionals } = parseOptions(
      args,
      { screenshot: { type: 'boolean' }, start: { type: 'boolean' } },
      usage,
    );
    const config = await commandConfig();
    if (config.file !== referenceConfigFile) return runConfigE2e(config, positionals, values.start === true);
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

/** A config system's Playwright suite: its own config, BASE_URL from e2e.baseUrl, JUnit under reports/systems/<name>/. */
async function runConfigE2e(config: ResolvedConfig, args: string[], start: boolean): Promise<number> {
  if (!config.e2e)
    throw new CliError(`${config.name} has no e2e in its config: set e2e.playwright (and e2e.baseUrl)`, 2);
  const { playwright, baseUrl } = config.e2e;
  const named = baseUrl !== undefined && !/^https?:\/\//.test(baseUrl);
  return withSystem(config.name, start && named, async () => {
    let url = baseUrl;
    if (named) {
      const state = readRunState();
      url = state?.config === config.file ? state.infra?.services[baseUrl]?.url : undefined;
      if (!url)
        throw new CliError(`e2e.baseUrl names service "${baseUrl}", but ${config.name} is not running (pass --start)`);
    }
    const junit = path.join(REPO_ROOT, 'reports', 'systems', config.name, 'e2e', 'junit.xml');
    fs.rmSync(junit, { force: true });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
      PLAYWRIGHT_JUNIT_OUTPUT_FILE: junit,
      ...(url ? { BASE_URL: url } : {}),
    };
    const code = await runPlaywright(
      ['--config', playwright, '--reporter=list,junit', ...args],
      env,
      path.dirname(playwright),
      playwrightCli(playwright),
    );
    const counts = fs.existsSync(junit) ? junitCounts(fs.readFileSync(junit, 'utf8')) : undefined;
    const summary = counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no JUnit results';
    console.log(
      code === 0 ? green(`e2e ${config.name}: passed (${summary})`) : red(`e2e ${config.name}: FAILED (${summary})`),
    );
    return code;
  });
}
