import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readRunState, REPO_ROOT, referenceConfigFile, type ResolvedConfig, type RunState } from '@harness/runtime';
import { junitCounts, type Counts } from '../stages.ts';
import { CliError, green, red } from '../output.ts';
import { assertLoopback } from '../load/target.ts';

/** The Schemathesis the setup installs (ci/setup.sh), pinned. */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Statuses Schemathesis accepts for a schema-valid request out of the box. */
const DEFAULT_VALID_STATUSES = ['2xx', '3xx', '401', '403', '404', '409', '429'];

export interface FuzzOptions {
  /** Only these services (default: every service with an OpenAPI spec, less `fuzz.skip`). */
  services?: string[];
  maxExamples?: number;
  seed?: number;
  reportsDir?: string;
  echo: boolean;
}

export interface FuzzResult {
  service: string;
  exitCode: number;
  counts: Counts | undefined;
  junit: string;
  log: string;
}

export function schemathesisBinary(env: NodeJS.ProcessEnv = process.env): string {
  const tools = env.HARNESS_TOOLS_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'harness');
  const binary = path.join(tools, 'venvs', 'schemathesis', 'bin', 'st');
  if (!fs.existsSync(binary))
    throw new CliError(
      `Schemathesis is not installed (${binary}); run \`npm run setup\` (it installs schemathesis==${SCHEMATHESIS_VERSION} into a virtualenv in the tool cache)`,
    );
  return binary;
}

/**
 * The schemathesis.toml of one run: every check on; `allow-x00 = false` because the services
 * refuse U+0000 by design (PostgreSQL cannot store it; a 400 naming the field, tested in each
 * service's bad-input tests); the config's business refusals of a valid request accepted.
 */
export function schemathesisToml(config: ResolvedConfig, maxExamples: number, service: string): string {
  const statuses = (extra: readonly number[]): string =>
    `expected-statuses = [${[
      ...DEFAULT_VALID_STATUSES,
      ...config.fuzz.validRequestStatuses.map(String),
      ...extra.map(String),
    ]
      .map((status) => JSON.stringify(status))
      .join(', ')}]`;
  const lines = [
    '[generation]',
    `max-examples = ${maxExamples}`,
    'allow-x00 = false',
    '',
    '[checks.positive_data_acceptance]',
    statuses([]),
    '',
  ];
  for (const operation of config.fuzz.operations.filter(
    (one) => one.service === undefined || one.service === service,
  )) {
    lines.push(
      `# ${operation.reason.replace(/\n/g, ' ')}`,
      '[[operations]]',
      `include-operation-id = ${JSON.stringify(operation.operationId)}`,
      '[operations.checks.positive_data_acceptance]',
      statuses(operation.validRequestStatuses),
      '',
    );
  }
  return lines.join('\n');
}

/** `{secret:NAME}` in a header value, from the run's secrets. */
function withSecrets(value: string, state: RunState, where: string): string {
  return value.replace(/\{secret:([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const secret = state.secrets?.[name];
    if (secret === undefined) throw new CliError(`${where}: the run has no secret "${name}"`, 2);
    return secret;
  });
}

/**
 * Runs Schemathesis (`st run`, every check, every phase: examples, coverage, fuzzing, stateful)
 * against each service of the running system that has an OpenAPI spec, one after the other,
 * writing reports/junit/fuzz-<service>.xml (reports/systems/<name>/fuzz/ for another system).
 */
export async function runFuzz(config: ResolvedConfig, options: FuzzOptions): Promise<FuzzResult[]> {
  const binary = schemathesisBinary();
  const state = readRunState();
  if (!state || state.status !== 'ready' || state.config !== config.file)
    throw new CliError(
      `${config.name} is not running; start it with \`harness --config ${path.relative(process.cwd(), config.file) || config.file} up\` or pass --start`,
    );
  const withSpec = config.topology.services.filter((service) => service.openapiFile !== undefined);
  for (const name of options.services ?? [])
    if (!withSpec.some((service) => service.name === name))
      throw new CliError(
        `--service ${name}: no service with an OpenAPI spec of that name (${withSpec.map((s) => s.name).join(', ')})`,
        2,
      );
  const chosen = withSpec.filter((service) =>
    options.services ? options.services.includes(service.name) : !config.fuzz.skip.includes(service.name),
  );
  const own = config.file !== referenceConfigFile;
  const reportsDir = path.resolve(
    options.reportsDir ??
      (own
        ? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'fuzz')
        : path.join(REPO_ROOT, 'reports', 'junit')),
  );
  fs.mkdirSync(reportsDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-fuzz-'));
  const results: FuzzResult[] = [];
  for (const service of chosen) {
    const url = state.infra?.services[service.name]?.url;
    if (!url) throw new CliError(`the running system has no service "${service.name}"`);
    const specFile = service.openapiFile ?? '';
    const serviceUrl = assertLoopback(url, `service ${service.name}`);
    const toml = path.join(work, `${service.name}.toml`);
    fs.writeFileSync(toml, schemathesisToml(config, options.maxExamples ?? config.fuzz.maxExamples, service.name));
    const junit = path.join(reportsDir, `fuzz-${service.name}.xml`);
    const log = path.join(work, service.name, 'schemathesis.log');
    fs.mkdirSync(path.dirname(log), { recursive: true });
    const headers = Object.entries(config.fuzz.headers[service.name] ?? {}).flatMap(([name, value]) => [
      '--header',
      `${name}: ${withSecrets(value, state, `fuzz.headers.${service.name}.${name}`)}`,
    ]);
    const { exitCode, counts } = await fuzzService({
      binary,
      name: service.name,
      specFile,
      serviceUrl,
      toml,
      junit,
      log,
      headers,
      seed: options.seed ?? 1,
      echo: options.echo,
    });
    results.push({ service: service.name, exitCode, counts, junit, log });
  }
  // All services in one file too: the stage's count (reports/junit/fuzz.xml, or fuzz.xml in the system's folder).
  fs.writeFileSync(
    path.join(reportsDir, 'fuzz.xml'),
    mergedJunit(
      `fuzz ${config.name}`,
      results.map((result) => result.junit),
    ),
  );
  return results;
}

export interface FuzzServiceInput {
  /** Schemathesis's `st`. */
  binary: string;
  name: string;
  specFile: string;
  /** The service's address (its spec's server path is added). */
  serviceUrl: string;
  /** The schemathesis.toml to run with. */
  toml: string;
  junit: string;
  /** Where Schemathesis's output goes; its folder is its working directory (it keeps a cache there). */
  log: string;
  /** `--header NAME: VALUE` pairs. */
  headers: string[];
  seed: number;
  echo: boolean;
}

/** Schemathesis on one service, every check and phase; exit code 0 when nothing failed. */
export async function fuzzService(input: FuzzServiceInput): Promise<{ exitCode: number; counts: Counts | undefined }> {
  const { junit, toml, specFile, serviceUrl, headers, log } = input;
  fs.mkdirSync(path.dirname(log), { recursive: true });
  // Paths served elsewhere than the document's server (their own `servers`, e.g. the gateway's
  // health and metrics at the root while its API is under /api/v1) get a run of their own there.
  const groups = serverGroups(input.specFile);
  fs.rmSync(junit, { force: true });
  let exitCode = 0;
  const parts: string[] = [];
  for (const [index, group] of groups.entries()) {
    const part = groups.length === 1 ? junit : junit.replace(/\.xml$/, `.${index + 1}.xml`);
    parts.push(part);
    const baseUrl = `${serviceUrl.replace(/\/+$/, '')}${group.basePath}`;
    const args = [
      '--config-file',
      toml,
      '--no-color',
      'run',
      specFile,
      '--url',
      baseUrl,
      '--checks',
      'all',
      '--phases',
      'examples,coverage,fuzzing,stateful',
      '--seed',
      String(input.seed),
      '--report',
      'junit',
      '--report-junit-path',
      part,
      '--request-timeout',
      '10',
      ...group.filter,
      ...headers,
    ];
    console.log(
      `fuzz ${input.name} → ${baseUrl}${group.paths ? ` (${group.paths.join(', ')})` : ''} (${path.relative(process.cwd(), specFile) || specFile})`,
    );
    fs.rmSync(part, { force: true });
    const code = await runLogged(input.binary, args, log, input.echo);
    if (code !== 0 && exitCode === 0) exitCode = code;
  }
  const counts = sumJunit(parts);
  if (groups.length > 1 && counts) {
    fs.writeFileSync(junit, mergedJunit(`fuzz ${input.name}`, parts));
    for (const part of parts) fs.rmSync(part, { force: true });
  }
  const verdict =
    exitCode === 0 ? green('passed') : red(exitCode === 1 ? 'FAILED' : `FAILED (Schemathesis exited ${exitCode})`);
  console.log(
    `  ${verdict} ${counts ? `${counts.passed} operations passed, ${counts.failed} failed` : 'no JUnit report'}; log ${log}`,
  );
  if (exitCode !== 0) console.log(summaryOf(fs.readFileSync(log, 'utf8')));
  return { exitCode, counts };
}

interface ServerGroup {
  /** The path to append to the service's address (`/api/v1`, or '' for the root). */
  basePath: string;
  /** The paths of this group when they are not the document's own (`--include-path-regex`). */
  paths: string[] | undefined;
  filter: string[];
}

const pathOfServer = (url: unknown): string =>
  typeof url === 'string' ? url.replace(/^(\{[^}]+\}|[a-z][a-z0-9+.-]*:\/\/[^/]+)/i, '').replace(/\/+$/, '') : '';

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The document's paths grouped by where they are served: the document's server, and each path-level `servers`. */
export function serverGroups(specFile: string): ServerGroup[] {
  const text = fs.readFileSync(specFile, 'utf8');
  const spec = (specFile.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as {
    servers?: Array<{ url?: unknown }>;
    paths?: Record<string, { servers?: Array<{ url?: unknown }> }>;
  };
  const main = pathOfServer(spec.servers?.[0]?.url);
  const elsewhere = new Map<string, string[]>();
  for (const [route, item] of Object.entries(spec.paths ?? {})) {
    if (!item.servers?.[0]) continue;
    const base = pathOfServer(item.servers[0].url);
    if (base === main) continue;
    elsewhere.set(base, [...(elsewhere.get(base) ?? []), route]);
  }
  const others = [...elsewhere.values()].flat();
  const regex = (routes: string[]): string => `^(${routes.map(escapeRegex).join('|')})$`;
  return [
    { basePath: main, paths: undefined, filter: others.length > 0 ? ['--exclude-path-regex', regex(others)] : [] },
    ...[...elsewhere.entries()].map(([basePath, routes]) => ({
      basePath,
      paths: routes,
      filter: ['--include-path-regex', regex(routes)],
    })),
  ];
}

function sumJunit(files: readonly string[]): Counts | undefined {
  const present = files.filter((file) => fs.existsSync(file));
  if (present.length === 0) return undefined;
  return present
    .map((file) => junitCounts(fs.readFileSync(file, 'utf8')))
    .reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped }));
}

/** One JUnit file holding the test suites of several (Schemathesis writes one per run; the stage one per system). */
function mergedJunit(name: string, files: readonly string[]): string {
  const suites = files
    .filter((file) => fs.existsSync(file))
    .flatMap((file) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/<testsuite\b[\s\S]*?<\/testsuite>/g)].map((m) => m[0]),
    );
  const counts = sumJunit(files) ?? { passed: 0, failed: 0, skipped: 0 };
  const tests = counts.passed + counts.failed + counts.skipped;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name}" tests="${tests}" failures="${counts.failed}" skipped="${counts.skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** The failures part of Schemathesis's output, for the console. */
function summaryOf(output: string): string {
  const failures = output.indexOf('FAILURES');
  const text = failures >= 0 ? output.slice(failures) : output;
  const lines = text.split('\n');
  return lines.length > 80
    ? [...lines.slice(0, 80), `  … (${lines.length - 80} more lines in the log)`].join('\n')
    : text;
}

function runLogged(command: string, args: string[], logFile: string, echo: boolean): Promise<number> {
  return new Promise((resolve) => {
    const out = fs.openSync(logFile, 'a');
    // Schemathesis keeps a cache of crashes in its working directory: the run's own folder.
    const child = spawn(command, args, {
      cwd: path.dirname(logFile),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    const take = (chunk: Buffer): void => {
      fs.writeSync(out, chunk);
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => {
      fs.writeSync(out, `\n${error.message}\n`);
      fs.closeSync(out);
      resolve(127);
    });
    child.on('close', (code) => {
      fs.closeSync(out);
      resolve(code ?? 1);
    });
  });
}
