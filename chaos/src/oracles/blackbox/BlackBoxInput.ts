import type { TappedRequest } from '../../system/HttpTap.ts';
import type { CallerAnswer } from './CallerAnswer.ts';
import type { LinkResilience } from './LinkResilience.ts';

/** When the fault on the dependency was in force. */
export interface FaultWindow {
  startMs: number;
  endMs: number;
}

/** What a black-box oracle judges one link of a foreign caller by: the wire, and the promise. */
export interface BlackBoxInput {
  /** The link judged (e.g. `L5`): it names the results. */
  link: string;
  /** What reached the dependency on the link (its tap), in any order. */
  requests: readonly TappedRequest[];
  /** What the caller answered the workload, in any order. */
  answers: readonly CallerAnswer[];
  promise: LinkResilience;
  fault: FaultWindow;
  /** Slack for clocks and scheduling (ms). */
  toleranceMs: number;
  /** Retries the retry oracle must see (default 3, the fewest that show jitter and pacing). */
  minRetries?: number;
}

/** The input of an oracle that needs some parts of the promise set. */
export type BlackBoxInputWith<K extends keyof LinkResilience> = Omit<BlackBoxInput, 'promise'> & {
  promise: LinkResilience & Required<Pick<LinkResilience, K>>;
};
