// @harness/chaos: scenarios as data, the runner, its oracles, invariants and reports.
export type * from './scenario/Scenario.ts';
export { validateScenario, MAX_SCENARIO_MS } from './scenario/validateScenario.ts';
export { loadScenarios, selectScenarios, applyProfile, InvalidScenarioError } from './scenario/loadScenarios.ts';
export { runSuite, type SuiteOptions, type SuiteResult } from './runner/runSuite.ts';
export type { Profile } from './runner/RunContext.ts';
export type { ScenarioRun, ScenarioStatus } from './runner/ScenarioRun.ts';
export type { ChaosJournal } from './report/ChaosJournal.ts';
export { chaosTunedEnv, tunedEnvForUp, type ServiceEnvOverrides } from './system/chaosTunedEnv.ts';
export { useKitConfig, kitConfig, loadKitDomain, kitInvariants } from './system/kitSystem.ts';
export { breakerOracle } from './oracles/breakerOracle.ts';
export { retryOracle } from './oracles/retryOracle.ts';
export { bulkheadOracle } from './oracles/bulkheadOracle.ts';
export {
  result as invariantResult,
  type Invariant,
  type InvariantContext,
  type InvariantResult,
  type Queryable,
} from './invariants/Invariant.ts';
export { deadLettersAccounted, browseQueues } from './invariants/deadLettersAccounted.ts';
export { defineKitDomain, type KitDomain } from './kit/KitDomain.ts';
export type { WorkloadClient } from './workload/WorkloadClient.ts';
export type { ResponseRecord } from './workload/ResponseRecord.ts';
export * from './oracles/blackbox/index.ts';
export * from './systems/index.ts';
export { faultSpace, chooseCells, FAULT_CLASSES, type FaultCell, type FaultClass } from './explore/faultSpace.ts';
export {
  runExplore,
  cellScenario,
  verdictOf,
  type ExploreMatrix,
  type ExploredCell,
  type CellVerdict,
} from './explore/runExplore.ts';
export { runMutate, type MutationScore, type MutantVerdict } from './mutate/runMutate.ts';
