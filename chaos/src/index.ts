// @harness/chaos: scenarios as data, the runner, its oracles, invariants and reports.
export type * from './scenario/Scenario.ts';
export { validateScenario, MAX_SCENARIO_MS } from './scenario/validateScenario.ts';
export {
  loadScenarios,
  selectScenarios,
  applyProfile,
  InvalidScenarioError,
  SCENARIO_DIR,
} from './scenario/loadScenarios.ts';
export { runSuite, type SuiteOptions, type SuiteResult } from './runner/runSuite.ts';
export type { Profile } from './runner/RunContext.ts';
export type { ScenarioRun, ScenarioStatus } from './runner/ScenarioRun.ts';
export type { ChaosJournal } from './report/ChaosJournal.ts';
export { chaosTunedEnv, tunedEnvForUp, type ServiceEnvOverrides } from './system/chaosTunedEnv.ts';
export { useKitConfig, kitConfig } from './system/kitSystem.ts';
export { breakerOracle } from './oracles/breakerOracle.ts';
export { retryOracle } from './oracles/retryOracle.ts';
export { bulkheadOracle } from './oracles/bulkheadOracle.ts';
export { invariants, DEAD_LETTER_QUEUES } from './invariants/invariants.ts';
export * from './oracles/blackbox/index.ts';
export * from './systems/index.ts';
