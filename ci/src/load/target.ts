import { addressOf, isAlive, readRunState, referenceConfig, type RunState } from '@harness/runtime';
import { CliError } from '../output.ts';

/** Where load goes: the gateway's origin and the key to call it with (plus Toxiproxy for chaos). */
export interface LoadTarget {
  baseUrl: string;
  apiKey: string;
  toxiproxyUrl?: string;
  /** host:port of the run's first gRPC link (its Toxiproxy proxy) and the token it needs, for grpc-stock. */
  grpc?: { address: string; serviceToken: string };
  /** The run's first GraphQL link (L10) and the origin of its Toxiproxy proxy, for the graphql profile. */
  graphql?: { link: string; url: string };
  /** Jaeger's query API, when the target's traces can be read (the slowest requests link to theirs). */
  jaegerUrl?: string;
  /** 'run' when read from .harness/run.json, 'flags' when given on the command line. */
  source: 'run' | 'flags';
}

export interface TargetFlags {
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  toxiproxyUrl?: string | undefined;
  jaegerUrl?: string | undefined;
  /** Lets --base-url and --toxiproxy-url name a host that is not loopback. */
  allowRemote?: boolean | undefined;
}

const NOTHING_RUNNING = 'no running system: start it with `npx harness up` (or pass --start)';
const OR_POINT_AT_ONE = ', or point at one with --base-url URL --api-key KEY';

/** Load only ever goes to this machine: loopback addresses. */
export function assertLoopback(url: string, what: string, allowRemote = false): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${what} is not a URL: "${url}"`, 2);
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback && !allowRemote)
    throw new CliError(
      `${what} must be a loopback address (127.0.0.1, localhost, [::1]), got ${url}; pass --allow-remote to send load to another host`,
      2,
    );
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`${what} must be http(s)`, 2);
  return url.replace(/\/+$/, '');
}

/** Whether `harness up` has a live run (a stale one, whose supervisor died, does not count). */
export function systemIsRunning(state: RunState | undefined = readRunState()): boolean {
  return state !== undefined && isAlive(state.supervisorPid);
}

/** The running system recorded by `harness up`, or a clear error saying what to do. */
export function readyRun(state: RunState | undefined = readRunState()): RunState {
  if (!state) throw new CliError(NOTHING_RUNNING);
  if (!isAlive(state.supervisorPid))
    throw new CliError(
      `the run in .harness/run.json is dead (supervisor pid ${state.supervisorPid}); run \`npx harness down\`, then \`npx harness up\``,
    );
  if (state.status !== 'ready')
    throw new CliError(`the system is not ready (status ${state.status}); wait for \`npx harness up\``);
  if (!state.infra || !state.secrets)
    throw new CliError('the running system has no services (started with --infra-only?)');
  return state;
}

export function resolveTarget(flags: TargetFlags, state?: RunState): LoadTarget {
  if (flags.baseUrl !== undefined) {
    if (flags.apiKey === undefined) throw new CliError('--base-url needs --api-key', 2);
    return {
      baseUrl: assertLoopback(flags.baseUrl, '--base-url', flags.allowRemote === true),
      apiKey: flags.apiKey,
      ...(flags.toxiproxyUrl === undefined
        ? {}
        : { toxiproxyUrl: assertLoopback(flags.toxiproxyUrl, '--toxiproxy-url', flags.allowRemote === true) }),
      ...(flags.jaegerUrl === undefined
        ? {}
        : { jaegerUrl: assertLoopback(flags.jaegerUrl, '--jaeger-url', flags.allowRemote === true) }),
      source: 'flags',
    };
  }
  const current = state ?? readRunState();
  if (!current) throw new CliError(`${NOTHING_RUNNING}${OR_POINT_AT_ONE}`);
  const run = readyRun(current);
  const infra = run.infra;
  const secrets = run.secrets;
  if (!infra || !secrets) throw new CliError(NOTHING_RUNNING);
  return {
    baseUrl: assertLoopback(addressOf(infra, loadTarget()).url, `the ${loadTarget()} URL`),
    apiKey: flags.apiKey ?? secrets.demoApiKey,
    toxiproxyUrl: assertLoopback(flags.toxiproxyUrl ?? infra.toxiproxy.url, 'the Toxiproxy URL'),
    ...grpcTarget(infra.proxies, secrets.serviceToken),
    ...graphqlTarget(infra.proxies),
    ...(infra.jaeger ? { jaegerUrl: infra.jaeger.uiUrl } : {}),
    source: 'run',
  };
}

/** The proxy of the reference config's first gRPC link in this run, if it has one. */
function grpcTarget(
  proxies: ReadonlyArray<{ link?: string; listen: string }> = [],
  serviceToken: string,
): Pick<LoadTarget, 'grpc'> {
  const link = referenceConfig().topology.links.find((candidate) => candidate.kind === 'grpc');
  const proxy = link && proxies.find((candidate) => candidate.link === link.id);
  return proxy ? { grpc: { address: proxy.listen, serviceToken } } : {};
}

/** The proxy of the reference config's first GraphQL link in this run (L10), if it has one. */
function graphqlTarget(proxies: ReadonlyArray<{ link?: string; listen: string }> = []): Pick<LoadTarget, 'graphql'> {
  const link = referenceConfig().topology.links.find((candidate) => candidate.kind === 'graphql');
  const proxy = link && proxies.find((candidate) => candidate.link === link.id);
  return link && proxy ? { graphql: { link: link.id, url: `http://${proxy.listen}` } } : {};
}

/** The service the reference system's load profiles drive (its config's `load.target`). */
function loadTarget(): string {
  const config = referenceConfig();
  const target = config.load.target;
  if (target === undefined) throw new CliError(`${config.file}: load.target is not set`);
  return target;
}
