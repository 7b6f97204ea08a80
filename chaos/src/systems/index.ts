export * from './SystemScenario.ts';
export { loadSystemScenarios, checkScenario, scenarioFiles, type LoadedScenario } from './loadSystemScenarios.ts';
export { runSystemChaos, describeOutcome, type SystemChaosOptions, type SystemChaosResult } from './runSystemChaos.ts';
export type { SystemScenarioOutcome } from './runSystemScenario.ts';
