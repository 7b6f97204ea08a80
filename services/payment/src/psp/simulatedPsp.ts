import { setTimeout as sleep } from 'node:timers/promises';

/** The test tokens of the simulated payment provider (see the payment API description). */
export const TEST_TOKENS = {
  approve: 'tok_approve',
  decline: 'tok_decline',
  slow: 'tok_slow',
} as const;

export type PspDecision = { kind: 'approved' } | { kind: 'declined'; detail: string };

export interface SimulatedPsp {
  /** Authorises a payment token; `tok_slow` answers after the configured delay. */
  authorize(token: string, signal?: AbortSignal): Promise<PspDecision>;
}

export interface SimulatedPspOptions {
  /** Delay of `tok_slow` before it approves. */
  slowDelayMs: number;
}

export function createSimulatedPsp(options: SimulatedPspOptions): SimulatedPsp {
  return {
    async authorize(token, signal) {
      switch (token) {
        case TEST_TOKENS.approve:
          return { kind: 'approved' };
        case TEST_TOKENS.slow:
          await sleep(options.slowDelayMs, undefined, signal === undefined ? undefined : { signal });
          return { kind: 'approved' };
        case TEST_TOKENS.decline:
          return { kind: 'declined', detail: 'The card issuer declined the payment.' };
        default:
          return { kind: 'declined', detail: 'The payment token is not recognised by the provider.' };
      }
    },
  };
}
