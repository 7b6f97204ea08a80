// Black-box oracles: a foreign caller's resilience judged only from the wire.
export type { CallerAnswer } from './CallerAnswer.ts';
export type { LinkResilience, RetryPromise, BreakerPromise, BulkheadPromise } from './LinkResilience.ts';
export type { BlackBoxInput, BlackBoxInputWith, FaultWindow } from './BlackBoxInput.ts';
export { groupCalls, traceIdOf, type Call, type CallGrouping, type GroupingRule } from './groupCalls.ts';
export { blackBoxBreakerOracle } from './blackBoxBreakerOracle.ts';
export { blackBoxRetryOracle } from './blackBoxRetryOracle.ts';
export { blackBoxTimeoutOracle, answerBudgetMs } from './blackBoxTimeoutOracle.ts';
export { blackBoxBulkheadOracle } from './blackBoxBulkheadOracle.ts';
export { evaluateBlackBox, type BlackBoxEvaluation, type BlackBoxOracleName } from './evaluateBlackBox.ts';
