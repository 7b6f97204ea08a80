import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Profile } from '../runner/RunContext.ts';
import { kitConfig, loadKitDomain } from '../system/kitSystem.ts';
import { scenarioFiles } from '../systems/loadSystemScenarios.ts';
import type { Scenario, WorkloadStream } from './Scenario.ts';
import { validateScenario } from './validateScenario.ts';

export class InvalidScenarioError extends Error {
  override readonly name = 'InvalidScenarioError';
}

/**
 * Imports every scenario file (its default export) and validates it; the file name must end in
 * its id. The files are those the config's `chaos.scenarios` globs match (`NN-<id>.scenario.ts`,
 * run in file-name order), or those in `dir`. Adding a scenario is adding a file: nothing else changes.
 */
export async function loadScenarios(dir?: string): Promise<Scenario[]> {
  await loadKitDomain();
  const files =
    dir === undefined
      ? scenarioFiles(kitConfig())
      : fs
          .readdirSync(dir)
          .filter((file) => file.endsWith('.scenario.ts'))
          .sort()
          .map((file) => path.join(dir, file));
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    const found = validateScenario(module.default);
    const scenario = module.default as Scenario;
    if (
      found.length === 0 &&
      !path
        .basename(file)
        .replace(/\.scenario\.ts$/, '')
        .endsWith(scenario.id)
    ) {
      found.push(`the file name must end in the scenario id ${scenario.id}`);
    }
    const name = path.basename(file);
    if (found.length > 0) problems.push(`${name}:\n  ${found.join('\n  ')}`);
    else if (scenarios.some((other) => other.id === scenario.id)) problems.push(`${name}: duplicate id ${scenario.id}`);
    else scenarios.push(scenario);
  }
  if (problems.length > 0) throw new InvalidScenarioError(`invalid scenarios:\n${problems.join('\n')}`);
  return scenarios;
}

/**
 * The scenarios a run asks for, by id or by number (1-based, in file order); none asked: all of
 * the profile (ci: those marked ci, full: every one).
 */
export function selectScenarios(all: readonly Scenario[], wanted: readonly string[], profile: Profile): Scenario[] {
  if (wanted.length === 0) return all.filter((scenario) => profile === 'full' || scenario.ci);
  return wanted.map((name) => {
    const byNumber = /^\d+$/.test(name) ? all[Number(name) - 1] : undefined;
    const found = byNumber ?? all.find((scenario) => scenario.id === name);
    if (!found) throw new InvalidScenarioError(`no scenario "${name}"; known: ${all.map((s) => s.id).join(', ')}`);
    return found;
  });
}

/** The full profile drives twice the traffic of the CI one (same faults, same bounds). */
export function applyProfile(scenario: Scenario, profile: Profile): Scenario {
  if (profile === 'ci') return scenario;
  const scale = (stream: WorkloadStream): WorkloadStream => ({ ...stream, count: Math.min(500, stream.count * 2) });
  return { ...scenario, workload: scenario.workload.map(scale) };
}
