import type { OracleResult } from '../OracleResult.ts';
import type { BlackBoxInput } from './BlackBoxInput.ts';
import { blackBoxBreakerOracle } from './blackBoxBreakerOracle.ts';
import { blackBoxBulkheadOracle } from './blackBoxBulkheadOracle.ts';
import { blackBoxRetryOracle } from './blackBoxRetryOracle.ts';
import { blackBoxTimeoutOracle } from './blackBoxTimeoutOracle.ts';

export type BlackBoxOracleName = 'breaker' | 'retry' | 'timeout' | 'bulkhead';

export interface BlackBoxEvaluation extends BlackBoxInput {
  /** Only these oracles (those whose promise is set, in any case); all of them when left out. */
  only?: readonly BlackBoxOracleName[];
}

/** Runs the black-box oracle of every promise the link sets, in the order breaker, retry, timeout, bulkhead. */
export function evaluateBlackBox(input: BlackBoxEvaluation): OracleResult[] {
  const wanted = (name: BlackBoxOracleName): boolean => input.only === undefined || input.only.includes(name);
  const { breaker, retry, timeoutMs, bulkhead } = input.promise;
  const results: OracleResult[] = [];
  if (breaker && wanted('breaker'))
    results.push(blackBoxBreakerOracle({ ...input, promise: { ...input.promise, breaker } }));
  if (retry && wanted('retry')) results.push(blackBoxRetryOracle({ ...input, promise: { ...input.promise, retry } }));
  if (timeoutMs !== undefined && wanted('timeout'))
    results.push(blackBoxTimeoutOracle({ ...input, promise: { ...input.promise, timeoutMs } }));
  if (bulkhead && wanted('bulkhead'))
    results.push(blackBoxBulkheadOracle({ ...input, promise: { ...input.promise, bulkhead } }));
  return results;
}
