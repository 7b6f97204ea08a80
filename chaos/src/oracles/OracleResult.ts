/** One property an oracle checked. */
export interface OracleCheck {
  name: string;
  passed: boolean;
  detail: string;
}

export interface OracleResult {
  /** e.g. `breaker order → payment`. */
  oracle: string;
  passed: boolean;
  checks: OracleCheck[];
}

export function oracleResult(oracle: string, checks: OracleCheck[]): OracleResult {
  return { oracle, passed: checks.every((check) => check.passed), checks };
}

export const check = (name: string, passed: boolean, detail: string): OracleCheck => ({ name, passed, detail });

/** Upper bound of the wait before retry `retry` (1 = first): exponential, capped. */
export function backoffCeiling(retry: number, initialDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, retry - 1));
}
