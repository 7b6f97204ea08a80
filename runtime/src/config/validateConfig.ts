import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { LinkSpec, ResolvedCommand, ServiceSpec, Topology } from '../topology.ts';
import { attachedServiceSchema, configSchema, linkSchema, startedServiceSchema } from './configSchema.ts';
import { brokerOf, type BrokerKind } from './brokerKind.ts';
import { ConfigError, type ConfigIssue } from './ConfigError.ts';
import { checkTemplate, type TemplateScope } from './envTemplate.ts';
import type {
  CommandConfig,
  ExploreConfig,
  MutantConfig,
  InvariantConfig,
  LinkResilience,
  ProviderVerificationConfig,
} from './types.ts';

/** A validated config with every path made absolute and the topology derived from it. */
export interface ResolvedConfig {
  file: string;
  /** The config file's folder: relative paths start here. */
  dir: string;
  name: string;
  topology: Topology;
  /** Secret names made anew per run (the built-in ones included). */
  secrets: string[];
  /** The broker of this run: `infrastructure.broker`, overridden by HARNESS_BROKER. */
  broker: { kind: BrokerKind };
  /** Per HTTP link: what its caller promises. */
  resilience: Record<string, LinkResilience>;
  contracts: {
    /** The folder with `openapi/` and `asyncapi/`. */
    specs: string | undefined;
    pacts: string;
    consumerTests: Array<ResolvedCommand & { name: string }>;
    providers: Record<string, ProviderVerificationConfig>;
  };
  chaos: {
    runner: 'black-box' | 'kit';
    /** The kit runner's workload target (undefined for the black-box runner). */
    entry: string | undefined;
    /** The kit domain module (absolute path; undefined for the black-box runner). */
    kit: string | undefined;
    serviceEnv: Record<string, Record<string, string>>;
    scenarios: string[];
    invariants: InvariantConfig[];
  };
  load: {
    scripts: string[];
    profiles: Record<
      string,
      { script: string; vus?: number; duration?: string; thresholds?: Record<string, string[]> }
    >;
    target: string | undefined;
  };
  e2e: { playwright: string; baseUrl: string | undefined } | undefined;
  /** `harness explore`'s workload and timing (undefined: the config sets none). */
  explore: ExploreConfig | undefined;
  /** `harness mutate`'s mutants ([]: none declared). */
  mutants: MutantConfig[];
  fuzz: {
    maxExamples: number;
    validRequestStatuses: number[];
    headers: Record<string, Record<string, string>>;
    skip: string[];
    operations: Array<{
      service?: string | undefined;
      operationId: string;
      validRequestStatuses: number[];
      reason: string;
    }>;
  };
}

/** Secrets every run has: the internal service token and the reference gateway's API keys. */
export const BUILT_IN_SECRETS = ['serviceToken', 'demoApiKey', 'readOnlyApiKey'];
const RESERVED_SERVICE_NAMES = new Set(['postgres', 'rabbitmq', 'kafka', 'toxiproxy']);
const DEFAULT_READY = '/health/ready';
const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** Checks a loaded config and resolves it; every problem found is reported at once. */
export function validateConfig(raw: unknown, file: string): ResolvedConfig {
  const dir = path.dirname(file);
  const issues: ConfigIssue[] = [];
  const top = configSchema.safeParse(raw);
  if (!top.success) throw new ConfigError(file, zodIssues(top.error, []));
  const config = top.data;
  const resolve = (relative: string): string => path.resolve(dir, relative);
  const command = (spec: Loose<CommandConfig>): ResolvedCommand => ({
    command: spec.command,
    args: spec.args ?? [],
    cwd: resolve(spec.cwd ?? '.'),
    env: spec.env ?? {},
  });
  const specs = new SpecFiles(dir, issues);

  const services: ServiceSpec[] = [];
  for (const [name, value] of Object.entries(config.services)) {
    const at = `services.${name}`;
    if (RESERVED_SERVICE_NAMES.has(name))
      issues.push({ path: at, message: `"${name}" is reserved; name the service otherwise` });
    const attached = typeof value === 'object' && value !== null && 'url' in value;
    const parsed = (attached ? attachedServiceSchema : startedServiceSchema).safeParse(value);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, ['services', name]));
      continue;
    }
    const service = parsed.data;
    const spec: ServiceSpec = {
      name,
      description: service.description ?? '',
      database: false,
      broker: false,
    };
    if (service.openapi !== undefined) {
      const file = specs.check(service.openapi, 'openapi', `${at}.openapi`);
      if (file) spec.openapiFile = file;
      spec.openapi = specName(service.openapi);
    }
    if ('url' in service) {
      spec.url = service.url.replace(/\/+$/, '');
    } else {
      spec.database = service.database !== undefined && service.database !== false;
      spec.broker = service.broker === true;
      const seed = typeof service.database === 'object' ? service.database.seed : undefined;
      if (seed && 'sql' in seed) {
        const sql = resolve(seed.sql);
        if (!fs.existsSync(sql)) issues.push({ path: `${at}.database.seed.sql`, message: `no such file: ${sql}` });
        spec.seed = { sql };
      } else if (seed) {
        spec.seed = command(seed);
      }
      spec.launch = {
        ...command(service),
        ready: service.ready ?? DEFAULT_READY,
        readyTimeoutMs: service.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
        ...(service.build ? { build: command(service.build) } : {}),
      };
      if (/^TODO\b/.test(service.command))
        issues.push({ path: `${at}.command`, message: 'still a TODO: the command that starts this service' });
      if (service.cwd !== undefined && !fs.existsSync(spec.launch.cwd))
        issues.push({ path: `${at}.cwd`, message: `no such folder: ${spec.launch.cwd}` });
    }
    services.push(spec);
  }
  // Every named service counts for cross-references, even one whose own entry has problems.
  const names = Object.keys(config.services);
  const known = (name: string): boolean => names.includes(name);
  const knownList = names.join(', ');

  const links: LinkSpec[] = [];
  const resilience: Record<string, LinkResilience> = {};
  (config.links ?? []).forEach((value, index) => {
    const at = `links[${index}]`;
    const parsed = linkSchema.safeParse(value);
    if (!parsed.success) {
      issues.push(...zodIssues(parsed.error, [`links[${index}]`]));
      return;
    }
    const link = parsed.data;
    if (links.some((other) => other.id === link.id))
      issues.push({ path: `${at}.id`, message: `duplicate link id "${link.id}"` });
    for (const end of ['from', 'to'] as const) {
      if (!known(link[end]))
        issues.push({ path: `${at}.${end}`, message: `unknown service "${link[end]}" (services: ${knownList})` });
    }
    if (link.from === link.to) issues.push({ path: at, message: 'a link must join two different services' });
    if (link.kind === 'http') {
      const file = specs.check(link.contract.openapi, 'openapi', `${at}.contract.openapi`);
      links.push({
        id: link.id,
        kind: 'http',
        from: link.from,
        to: link.to,
        contract: { openapi: specName(link.contract.openapi), ...(file ? { file } : {}) },
        purpose: link.purpose ?? '',
      });
      if (link.resilience) resilience[link.id] = link.resilience as LinkResilience;
    } else if (link.kind === 'grpc') {
      const file = resolve(link.contract.proto);
      if (!fs.existsSync(file)) issues.push({ path: `${at}.contract.proto`, message: `no such file: ${file}` });
      else if (!declaresService(fs.readFileSync(file, 'utf8'), link.contract.service))
        issues.push({
          path: `${at}.contract.service`,
          message: `${link.contract.service} is not a service of ${link.contract.proto}`,
        });
      links.push({
        id: link.id,
        kind: 'grpc',
        from: link.from,
        to: link.to,
        contract: { proto: specName(link.contract.proto), service: link.contract.service, file },
        purpose: link.purpose ?? '',
      });
      if (link.resilience) resilience[link.id] = link.resilience as LinkResilience;
    } else if (link.kind === 'graphql') {
      const file = resolve(link.contract.graphql);
      if (!fs.existsSync(file)) issues.push({ path: `${at}.contract.graphql`, message: `no such file: ${file}` });
      else if (!declaresQueryType(fs.readFileSync(file, 'utf8')))
        issues.push({
          path: `${at}.contract.graphql`,
          message: `${link.contract.graphql} is not a GraphQL schema: it declares no Query type`,
        });
      links.push({
        id: link.id,
        kind: 'graphql',
        from: link.from,
        to: link.to,
        contract: { graphql: specName(link.contract.graphql), sdl: link.contract.graphql, file },
        purpose: link.purpose ?? '',
      });
      if (link.resilience) resilience[link.id] = link.resilience as LinkResilience;
    } else {
      const file = specs.check(link.contract.asyncapi, 'asyncapi', `${at}.contract.asyncapi`);
      if (file) specs.checkMessages(file, link.contract.messages, `${at}.contract.messages`);
      links.push({
        id: link.id,
        kind: 'amqp',
        from: link.from,
        to: link.to,
        contract: {
          asyncapi: specName(link.contract.asyncapi),
          messages: link.contract.messages,
          ...(file ? { file } : {}),
        },
        purpose: link.purpose ?? '',
      });
      for (const end of ['from', 'to'] as const) {
        const service = services.find((candidate) => candidate.name === link[end]);
        if (service?.launch && !service.broker)
          issues.push({
            path: `${at}.${end}`,
            message: `service "${service.name}" carries a message link but has no \`broker: true\``,
          });
      }
    }
  });

  const secrets = [...new Set([...BUILT_IN_SECRETS, ...(config.secrets ?? [])])];
  for (const service of services) {
    if (!service.launch) continue;
    const scope: TemplateScope = {
      service: service.name,
      database: service.database,
      broker: service.broker,
      services: names,
      calls: links.filter((link) => link.kind === 'http' && link.from === service.name).map((link) => link.to),
      secrets,
    };
    const at = `services.${service.name}`;
    const fields: Array<[string, string]> = [
      ['command', service.launch.command],
      ['ready', service.launch.ready],
      ...service.launch.args.map((arg, index): [string, string] => [`args[${index}]`, arg]),
      ...Object.entries(service.launch.env).map(([name, value]): [string, string] => [`env.${name}`, value]),
    ];
    for (const [field, text] of fields)
      for (const message of checkTemplate(text, scope)) issues.push({ path: `${at}.${field}`, message });
  }

  const contracts = config.contracts ?? {};
  for (const [provider] of Object.entries(contracts.providers ?? {}))
    if (!known(provider))
      issues.push({ path: `contracts.providers.${provider}`, message: `unknown service (services: ${knownList})` });
  const specsDir = contracts.specs === undefined ? undefined : resolve(contracts.specs);
  if (specsDir !== undefined && !fs.existsSync(specsDir))
    issues.push({ path: 'contracts.specs', message: `no such folder: ${specsDir}` });
  for (const [index, invariant] of (config.chaos?.invariants ?? []).entries()) {
    if ('database' in invariant) {
      const service = services.find((candidate) => candidate.name === invariant.database);
      if (!service?.database)
        issues.push({
          path: `chaos.invariants[${index}].database`,
          message: `"${invariant.database}" is not a service with a database (${
            services
              .filter((s) => s.database)
              .map((s) => s.name)
              .join(', ') || 'none has one'
          })`,
        });
    }
  }
  if (config.chaos?.runner === 'kit' && config.chaos.entry === undefined)
    issues.push({ path: 'chaos.entry', message: 'the kit runner needs the service its workload drives' });
  if (config.chaos?.runner === 'kit' && config.chaos.kit === undefined)
    issues.push({ path: 'chaos.kit', message: "the kit runner needs the module of the system's kit domain" });
  if (config.chaos?.kit !== undefined && !fs.existsSync(resolve(config.chaos.kit)))
    issues.push({ path: 'chaos.kit', message: `no such file: ${resolve(config.chaos.kit)}` });
  if (config.chaos?.entry !== undefined && !known(config.chaos.entry))
    issues.push({ path: 'chaos.entry', message: `unknown service "${config.chaos.entry}" (services: ${knownList})` });
  if (config.explore !== undefined && config.explore.workload === undefined && config.chaos?.runner !== 'kit')
    issues.push({
      path: 'explore.workload',
      message:
        'the requests every exploration run drives are required (only the kit runner takes them from its kit domain)',
    });
  for (const service of Object.keys(config.explore?.serviceEnv ?? {}))
    if (!known(service))
      issues.push({
        path: `explore.serviceEnv.${service}`,
        message: `unknown service "${service}" (services: ${knownList})`,
      });
  for (const [index, stream] of (config.explore?.workload ?? []).entries())
    if (!known(stream.service))
      issues.push({
        path: `explore.workload[${index}].service`,
        message: `unknown service "${stream.service}" (services: ${knownList})`,
      });
  const mutantNames = new Set<string>();
  for (const [index, mutant] of (config.mutate?.mutants ?? []).entries()) {
    if (mutantNames.has(mutant.name))
      issues.push({ path: `mutate.mutants[${index}].name`, message: `duplicate mutant "${mutant.name}"` });
    mutantNames.add(mutant.name);
    for (const service of Object.keys(mutant.env))
      if (!known(service))
        issues.push({
          path: `mutate.mutants[${index}].env.${service}`,
          message: `unknown service "${service}" (services: ${knownList})`,
        });
  }
  for (const [field, names] of [
    ['chaos.serviceEnv', Object.keys(config.chaos?.serviceEnv ?? {})],
    ['fuzz.headers', Object.keys(config.fuzz?.headers ?? {})],
    ['fuzz.skip', config.fuzz?.skip ?? []],
  ] as const) {
    for (const name of names)
      if (!services.some((service) => service.name === name))
        issues.push({
          path: `${field}.${name}`,
          message: `unknown service "${name}" (services: ${services.map((s) => s.name).join(', ')})`,
        });
  }
  const e2e = config.e2e;
  if (e2e && !fs.existsSync(resolve(e2e.playwright)))
    issues.push({ path: 'e2e.playwright', message: `no such file: ${resolve(e2e.playwright)}` });
  for (const [name, profile] of Object.entries(config.load?.profiles ?? {}))
    if (!fs.existsSync(resolve(profile.script)))
      issues.push({ path: `load.profiles.${name}.script`, message: `no such file: ${resolve(profile.script)}` });
  if (issues.length > 0) throw new ConfigError(file, issues);
  const broker = brokerOf(config.infrastructure?.broker?.kind);

  return {
    file,
    dir,
    name: config.name,
    topology: { name: config.name, services, links, broker },
    secrets,
    broker: { kind: broker },
    resilience,
    contracts: {
      specs: specsDir ?? defaultSpecsDir(links),
      pacts: resolve(contracts.pacts ?? 'pacts'),
      consumerTests: (contracts.consumerTests ?? []).map((test) => ({ ...command(test), name: test.name })),
      providers: (contracts.providers ?? {}) as Record<string, ProviderVerificationConfig>,
    },
    chaos: {
      runner: config.chaos?.runner ?? 'black-box',
      entry: config.chaos?.entry,
      kit: config.chaos?.kit === undefined ? undefined : resolve(config.chaos.kit),
      serviceEnv: config.chaos?.serviceEnv ?? {},
      scenarios: (config.chaos?.scenarios ?? []).map(resolve),
      invariants: (config.chaos?.invariants ?? []) as InvariantConfig[],
    },
    load: {
      scripts: (config.load?.scripts ?? []).map(resolve),
      profiles: Object.fromEntries(
        Object.entries(config.load?.profiles ?? {}).map(([name, profile]) => [
          name,
          { ...profile, script: resolve(profile.script) },
        ]),
      ) as ResolvedConfig['load']['profiles'],
      target: config.load?.target,
    },
    e2e: e2e ? { playwright: resolve(e2e.playwright), baseUrl: e2e.baseUrl } : undefined,
    explore: config.explore as ExploreConfig | undefined,
    mutants: (config.mutate?.mutants ?? []) as MutantConfig[],
    fuzz: {
      maxExamples: config.fuzz?.maxExamples ?? 20,
      validRequestStatuses: config.fuzz?.validRequestStatuses ?? [],
      headers: config.fuzz?.headers ?? {},
      skip: config.fuzz?.skip ?? [],
      operations: config.fuzz?.operations ?? [],
    },
  };
}

/** The parsed form of a config type: optional fields may hold `undefined`. */
type Loose<T> = { [K in keyof T]?: T[K] | undefined } & { command: string };

/** The folder above the first link's spec folder (`…/contracts/openapi/x.yaml` → `…/contracts`). */
function defaultSpecsDir(links: readonly LinkSpec[]): string | undefined {
  const file = links.map((link) => link.contract.file).find((candidate) => candidate !== undefined);
  return file === undefined ? undefined : path.dirname(path.dirname(file));
}

/** Does a .proto source declare `package.Service` (its package line and a `service Name {`)? */
function declaresService(source: string, qualified: string): boolean {
  const dot = qualified.lastIndexOf('.');
  const [pkg, name] = [qualified.slice(0, Math.max(dot, 0)), qualified.slice(dot + 1)];
  const declaredPackage = /^package\s+([\w.]+)\s*;/m.exec(source)?.[1] ?? '';
  return declaredPackage === pkg && new RegExp(`^service\\s+${name}\\s*\\{`, 'm').test(source);
}

/** Does a GraphQL SDL declare its query root: `type Query` (or `extend type Query`), or `schema { query: … }`? */
function declaresQueryType(source: string): boolean {
  const code = source.replace(/"""[\s\S]*?"""/g, '').replace(/#[^\n]*/g, '');
  return /^\s*(?:extend\s+)?type\s+Query\b/m.test(code) || /\bschema\s*\{[^}]*\bquery\s*:/.test(code);
}

/** A spec's name: its file name without the extension (`contracts/openapi/order.yaml` → `order`). */
const specName = (file: string): string => path.basename(file).replace(/\.(ya?ml|json|proto|graphql|gql)$/i, '');

/** Spec files named by the config: they must exist, parse and be of the kind the field says. */
class SpecFiles {
  readonly #dir: string;
  readonly #issues: ConfigIssue[];
  readonly #parsed = new Map<string, Record<string, unknown> | undefined>();

  constructor(dir: string, issues: ConfigIssue[]) {
    this.#dir = dir;
    this.#issues = issues;
  }

  check(relative: string, kind: 'openapi' | 'asyncapi', at: string): string | undefined {
    const file = path.resolve(this.#dir, relative);
    if (!this.#parsed.has(file)) this.#parsed.set(file, this.#parse(file, kind, at));
    return this.#parsed.get(file) === undefined ? undefined : file;
  }

  checkMessages(file: string, messages: readonly string[], at: string): void {
    const doc = this.#parsed.get(file);
    const components = (doc?.components as { messages?: Record<string, { name?: string }> } | undefined)?.messages;
    const declared = new Set(Object.entries(components ?? {}).flatMap(([key, message]) => [key, message?.name ?? key]));
    for (const message of messages)
      if (!declared.has(message))
        this.#issues.push({
          path: at,
          message: `message "${message}" is not in ${path.relative(this.#dir, file)} (components.messages: ${[...declared].join(', ') || 'none'})`,
        });
  }

  #parse(file: string, kind: 'openapi' | 'asyncapi', at: string): Record<string, unknown> | undefined {
    if (!fs.existsSync(file)) {
      this.#issues.push({ path: at, message: `no such file: ${file}` });
      return undefined;
    }
    let doc: unknown;
    try {
      doc = parseYaml(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      this.#issues.push({ path: at, message: `${file} does not parse: ${first}` });
      return undefined;
    }
    if (typeof doc !== 'object' || doc === null || !(kind in doc)) {
      this.#issues.push({
        path: at,
        message: `${file} is not an ${kind === 'openapi' ? 'OpenAPI' : 'AsyncAPI'} document (no \`${kind}\` field)`,
      });
      return undefined;
    }
    return doc as Record<string, unknown>;
  }
}

/** Zod's issues as config issues with readable paths (`links[1].to`, `services.orders.cmd`). */
function zodIssues(error: z.ZodError, prefix: Array<string | number>): ConfigIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const at = formatPath([...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))]);
    if (keys.length > 0)
      return {
        path: formatPath([...prefix, ...issue.path.map(String), keys[0] ?? '']),
        message: `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}`,
      };
    return { path: at, message: issue.message };
  });
}

function formatPath(parts: ReadonlyArray<string | number>): string {
  return parts
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (/^\[\d+\]$/.test(part) || /^[a-z]+\[\d+\]$/i.test(part)) return index === 0 ? part : `.${part}`;
      if (/^\d+$/.test(part)) return `[${part}]`;
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}
