/**
 * One call as the workload saw the caller answer it: the only view of the caller a black-box
 * oracle has besides what reached the dependency.
 */
export interface CallerAnswer {
  startMs: number;
  endMs: number;
  /** The caller's HTTP status; 0 when no answer came (connection error, the workload's own timeout). */
  status: number;
  /** The Idempotency-Key the workload sent with the call, if any. */
  key?: string;
}

export const answerLatency = (answer: CallerAnswer): number => answer.endMs - answer.startMs;

/** The caller answered, and not with a 2xx: a refusal (short-circuit, full bulkhead, error). */
export const isRefusal = (answer: CallerAnswer): boolean =>
  answer.status !== 0 && (answer.status < 200 || answer.status >= 300);

export const isSuccess = (answer: CallerAnswer): boolean => answer.status >= 200 && answer.status < 300;
