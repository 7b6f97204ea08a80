/** Tuning of the saga and its recovery worker (from env in main.ts, see config.ts). */
export interface SagaSettings {
  /** How long a POST /orders waits for the saga before answering 202 + Location. */
  requestBudgetMs: number;
  /** A saga lease lasts this long from each step; a crashed runner's orders are resumed after it. */
  leaseMs: number;
  /** Recovery attempts before an unsettled saga is compensated and cancelled (TIMEOUT). */
  maxAttempts: number;
  /** Age after which an unsettled saga is compensated and cancelled (TIMEOUT). */
  deadlineMs: number;
  /** Backoff between recovery attempts: base doubled per attempt, capped, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Wait before checking payment for a charge of an order cancelled while a charge was uncertain. */
  auditDelayMs: number;
  /** Attempts of that check before it is given up (logged as an error). */
  auditMaxAttempts: number;
  /** Worker poll interval and rows claimed per poll. */
  recoveryIntervalMs: number;
  recoveryBatchSize: number;
}

/** Delay before recovery attempt `attempt + 1`: exponential with equal jitter. */
export function retryDelayMs(
  attempt: number,
  settings: Pick<SagaSettings, 'retryBaseMs' | 'retryMaxMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
