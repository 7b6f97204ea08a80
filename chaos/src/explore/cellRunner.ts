import type { InfraDescription } from '@harness/runtime';
import type { LinkResilience } from '../oracles/blackbox/LinkResilience.ts';
import type { FaultCell } from './faultSpace.ts';

export type CellVerdict = 'survived' | 'violated' | 'vacuous' | 'error';

/** What one exploration run found. */
export interface CellOutcome {
  verdict: CellVerdict;
  /** What failed (check, oracle check or invariant, with its detail); empty when it survived. */
  failed: string[];
  durationMs: number;
  /** When its faults were in force (epoch ms), if they were injected. */
  faultWindow?: { fromMs: number; toMs: number };
  /** The scenario it ran, as a file `harness chaos` replays. */
  replay: { id: string; source: string };
}

/** Runs exploration cells on one started system: the black-box runner's, or the kit runner's. */
export interface CellRunner {
  readonly infra: InfraDescription;
  /** What each HTTP link's caller promises (the config's, or what the kit's callers report). */
  readonly promises: Readonly<Record<string, LinkResilience>>;
  /** The services the runner started (default: every service the config starts). */
  readonly services?: readonly string[];
  /** The taps on the HTTP links, by link id: what crossed each link, recorded live. */
  readonly taps: ReadonlyMap<string, { records(sinceMs?: number): ReadonlyArray<{ startMs: number }> }>;
  /** The services the workload sends its requests to. */
  readonly entries: readonly string[];
  /** One run with every cell's fault in force over the same window. */
  run(cells: readonly FaultCell[]): Promise<CellOutcome>;
  close(): Promise<void>;
}

export const FAULT_START_MS = 500;

export const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** `explore-p1-latency`, `explore-p1-latency-and-orders-killed`. */
export const runId = (cells: readonly FaultCell[]): string =>
  `explore-${cells.map((cell) => slug(cell.id)).join('-and-')}`;

export function describeCells(cells: readonly FaultCell[]): string {
  return cells.map((cell) => `${cell.fault} on ${cell.row}`).join(' and ');
}
