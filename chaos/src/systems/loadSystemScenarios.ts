import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, type ConfigIssue, type ResolvedConfig } from '@harness/runtime';
import { TOXIC_TYPES } from '../scenario/Scenario.ts';
import { requestFaultProblems } from '../faults/requestFaults.ts';
import type { SystemScenario, SystemTarget } from './SystemScenario.ts';

export interface LoadedScenario {
  file: string;
  scenario: SystemScenario;
}

/** The scenario files the config's `chaos.scenarios` globs match, in file-name order. */
export function scenarioFiles(config: ResolvedConfig): string[] {
  const files = new Set<string>();
  for (const pattern of config.chaos.scenarios)
    for (const match of fs.globSync(pattern)) files.add(path.resolve(match));
  return [...files].sort();
}

/**
 * Loads every scenario file and checks it against the config: a scenario naming an unknown link,
 * service, fault, stream or invariant is a `ConfigError` naming the file and the field.
 */
export async function loadSystemScenarios(config: ResolvedConfig): Promise<LoadedScenario[]> {
  const files = scenarioFiles(config);
  if (files.length === 0)
    throw new ConfigError(config.file, [
      {
        path: 'chaos.scenarios',
        message: `no scenario file matches ${config.chaos.scenarios.join(', ') || '(none set)'}`,
      },
    ]);
  const loaded: LoadedScenario[] = [];
  for (const file of files) {
    let module: { default?: unknown };
    try {
      module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      throw new ConfigError(file, [{ path: '', message: `cannot load: ${message}` }]);
    }
    const scenario = module.default as SystemScenario | undefined;
    if (!scenario || typeof scenario !== 'object')
      throw new ConfigError(file, [{ path: '', message: 'expected `export default defineScenario({ ... })`' }]);
    const issues = checkScenario(scenario, config);
    if (issues.length > 0) throw new ConfigError(file, issues);
    loaded.push({ file, scenario });
  }
  const ids = loaded.map((entry) => entry.scenario.id);
  const twice = ids.find((id, index) => ids.indexOf(id) !== index);
  if (twice)
    throw new ConfigError(config.file, [{ path: 'chaos.scenarios', message: `scenario id "${twice}" is used twice` }]);
  return loaded;
}

/** Every name a scenario uses must exist in the config (links, services) or in the scenario (faults, streams). */
export function checkScenario(scenario: SystemScenario, config: ResolvedConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { services, links } = config.topology;
  const serviceNames = services.map((service) => service.name);
  const linkIds = links.map((link) => link.id);
  const issue = (at: string, message: string): void => void issues.push({ path: at, message });
  if (typeof scenario.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(scenario.id))
    issue('id', 'expected a kebab-case id');
  for (const field of ['title', 'hypothesis'] as const)
    if (typeof scenario[field] !== 'string' || scenario[field] === '') issue(field, 'expected a non-empty string');
  if (!(scenario.timeLimitMs > 0)) issue('timeLimitMs', 'expected a positive number of milliseconds');
  const knownService = (at: string, name: string): void => {
    if (!serviceNames.includes(name)) issue(at, `unknown service "${name}" (services: ${serviceNames.join(', ')})`);
  };
  const checkTarget = (at: string, target: SystemTarget): void => {
    if ('link' in target) {
      const link = links.find((candidate) => candidate.id === target.link);
      if (!link) issue(`${at}.link`, `unknown link "${target.link}" (links: ${linkIds.join(', ')})`);
      else if (link.kind === 'amqp')
        issue(
          `${at}.link`,
          `link ${link.id} is a message link; target the broker connection of ${link.from} or ${link.to}`,
        );
    } else if ('database' in target) {
      knownService(`${at}.database`, target.database);
      if (services.find((service) => service.name === target.database)?.database === false)
        issue(`${at}.database`, `service "${target.database}" has no database`);
    } else if ('broker' in target) {
      knownService(`${at}.broker`, target.broker);
      if (services.find((service) => service.name === target.broker)?.broker === false)
        issue(`${at}.broker`, `service "${target.broker}" does not use the broker`);
    } else issue(at, 'expected { link }, { database } or { broker }');
  };
  for (const [name] of Object.entries(scenario.serviceEnv ?? {})) knownService(`serviceEnv.${name}`, name);
  const faultIds = scenario.faults.map((fault) => fault.id);
  scenario.faults.forEach((fault, index) => {
    const at = `faults[${index}]`;
    if (fault.kind === 'toxic' || fault.kind === 'proxy-down') checkTarget(`${at}.target`, fault.target);
    else if (fault.kind === 'process') knownService(`${at}.service`, fault.service);
    else if (fault.kind === 'request') {
      const target = fault.target as SystemTarget;
      if (!('link' in target))
        issue(
          `${at}.target`,
          'a request-level fault needs { link } (a database or broker connection carries no HTTP requests)',
        );
      else {
        checkTarget(`${at}.target`, target);
        const link = links.find((candidate) => candidate.id === target.link);
        if (link && link.kind !== 'http') issue(`${at}.target.link`, `link "${link.id}" is not an HTTP link`);
        for (const problem of requestFaultProblems(fault)) issue(at, problem);
      }
    } else issue(`${at}.kind`, 'expected "toxic", "proxy-down", "process" or "request"');
    if (fault.kind === 'toxic' && !TOXIC_TYPES.includes(fault.toxic.type))
      issue(`${at}.toxic.type`, `unknown toxic (toxics: ${TOXIC_TYPES.join(', ')})`);
    if (fault.stopMs !== undefined && fault.stopMs <= fault.startMs) issue(`${at}.stopMs`, 'must come after startMs');
  });
  const streamIds = scenario.workload.map((stream) => stream.id);
  scenario.workload.forEach((stream, index) => {
    knownService(`workload[${index}].service`, stream.service);
    if (!stream.path.startsWith('/')) issue(`workload[${index}].path`, 'expected a path starting with /');
    if (!(stream.count > 0)) issue(`workload[${index}].count`, 'expected a positive count');
  });
  const knownFault = (at: string, id: string): void => {
    if (!faultIds.includes(id)) issue(at, `unknown fault "${id}" (faults: ${faultIds.join(', ') || 'none'})`);
  };
  const knownStream = (at: string, id: string): void => {
    if (!streamIds.includes(id)) issue(at, `unknown stream "${id}" (streams: ${streamIds.join(', ') || 'none'})`);
  };
  (scenario.expectations.oracles ?? []).forEach((oracle, index) => {
    const at = `expectations.oracles[${index}]`;
    const link = links.find((candidate) => candidate.id === oracle.link);
    if (!link) issue(`${at}.link`, `unknown link "${oracle.link}" (links: ${linkIds.join(', ')})`);
    else if (!config.resilience[oracle.link])
      issue(`${at}.link`, `link ${oracle.link} promises no resilience (set links[].resilience in the config)`);
    knownFault(`${at}.fault`, oracle.fault);
    for (const stream of oracle.streams ?? []) knownStream(`${at}.streams`, stream);
  });
  (scenario.expectations.responses ?? []).forEach((expectation, index) => {
    const at = `expectations.responses[${index}]`;
    knownStream(`${at}.stream`, expectation.stream);
    const window = expectation.window;
    if ('duringFault' in window) knownFault(`${at}.window.duringFault`, window.duringFault);
    if ('afterFault' in window) knownFault(`${at}.window.afterFault`, window.afterFault);
  });
  const invariantNames = config.chaos.invariants.map((invariant) => invariant.name);
  for (const name of scenario.expectations.invariants ?? [])
    if (!invariantNames.includes(name))
      issue(
        'expectations.invariants',
        `unknown invariant "${name}" (config invariants: ${invariantNames.join(', ') || 'none'})`,
      );
  return issues;
}
