import type { BrokerKind } from '@harness/runtime';
import { dim, green, red } from '../output.ts';
import type { BenchFigures } from './baseline.ts';

/**
 * The broker targets (issue: the event bus on Kafka as well as RabbitMQ): the Kafka system at rest
 * within 1.5× the RabbitMQ system's memory, and within 10% of its capacity at SLO, measured in one
 * `harness bench --start --brokers rabbitmq,kafka` run.
 */
export const BROKER_TARGETS = { memoryAtRest: 1.5, capacityAtSlo: 0.9 };

/** One figure of both brokers' runs, side by side. */
export interface BrokerComparisonRow {
  figure: string;
  unit: string;
  values: Partial<Record<BrokerKind, number>>;
  /** The second broker's value ÷ the first's, when both are there and the first is not 0. */
  ratio?: number;
  /** The target the ratio is held to, if it has one, and whether it was met. */
  target?: { text: string; met: boolean };
}

export interface BrokerComparison {
  brokers: readonly BrokerKind[];
  rows: BrokerComparisonRow[];
}

interface FigureSpec {
  figure: string;
  unit: string;
  of: (figures: BenchFigures) => number | undefined;
  /** Held to a ratio of the second broker over the first: at most (`max`) or at least (`min`). */
  target?: { max?: number; min?: number };
}

const FIGURES: FigureSpec[] = [
  {
    figure: 'memory at rest (system)',
    unit: 'MiB',
    of: (f) => f.systemRssAtRestMb ?? f.rssAtRestMb,
    target: { max: BROKER_TARGETS.memoryAtRest },
  },
  { figure: 'memory at rest after the load', unit: 'MiB', of: (f) => f.systemRssAfterLoadMb },
  {
    figure: 'capacity at SLO',
    unit: 'confirmed/s',
    of: (f) => f.capacityAtSlo,
    target: { min: BROKER_TARGETS.capacityAtSlo },
  },
  { figure: 'confirmed orders at the main rate', unit: '/s', of: (f) => f.confirmedPerSecond },
  { figure: 'p95 at the main rate', unit: 'ms', of: (f) => f.p95Ms },
  { figure: 'system CPU per confirmed order', unit: 'ms', of: (f) => f.cpuMsPerOrder },
  { figure: 'gateway ceiling (closed model)', unit: 'confirmed/s', of: (f) => f.gatewayCeiling },
];

/** Compares the bench figures of each broker's run: the second broker against the first. */
export function compareBrokers(runs: ReadonlyArray<{ broker: BrokerKind; figures: BenchFigures }>): BrokerComparison {
  const [first, second] = runs;
  const rows = FIGURES.map((spec): BrokerComparisonRow => {
    const values: Partial<Record<BrokerKind, number>> = {};
    for (const run of runs) {
      const value = spec.of(run.figures);
      if (value !== undefined) values[run.broker] = value;
    }
    const a = first === undefined ? undefined : values[first.broker];
    const b = second === undefined ? undefined : values[second.broker];
    const ratio = a !== undefined && b !== undefined && a !== 0 ? b / a : undefined;
    const row: BrokerComparisonRow = { figure: spec.figure, unit: spec.unit, values };
    if (ratio !== undefined) row.ratio = ratio;
    if (spec.target !== undefined && ratio !== undefined) {
      const { max, min } = spec.target;
      row.target =
        max !== undefined ? { text: `≤ ${max}×`, met: ratio <= max } : { text: `≥ ${min}×`, met: ratio >= (min ?? 0) };
    }
    return row;
  });
  return { brokers: runs.map((run) => run.broker), rows };
}

const fixed = (n: number, digits: number): string => n.toFixed(digits);

/** The comparison as printed lines: one row per figure, a column per broker, the ratio and its target. */
export function describeBrokerComparison(comparison: BrokerComparison): string[] {
  const [first, second] = comparison.brokers;
  const label = (row: BrokerComparisonRow): string => `${row.figure} (${row.unit})`;
  const width = Math.max(6, ...comparison.rows.map((row) => label(row).length));
  const head =
    `${'figure'.padEnd(width)} ` +
    comparison.brokers.map((broker) => broker.padStart(10)).join(' ') +
    `  ${`${second ?? '?'} ÷ ${first ?? '?'}`.padStart(16)}  target`;
  const lines = [dim(head)];
  for (const row of comparison.rows) {
    const cells = comparison.brokers.map((broker) => {
      const value = row.values[broker];
      return (value === undefined ? '—' : fixed(value, value >= 100 ? 0 : 1)).padStart(10);
    });
    const ratio = (row.ratio === undefined ? '—' : `${fixed(row.ratio, 2)}×`).padStart(16);
    const target = row.target ? `${row.target.met ? green('met ') : red('MISS')} ${row.target.text}` : '';
    lines.push(`${label(row).padEnd(width)} ${cells.join(' ')}  ${ratio}  ${target}`);
  }
  return lines;
}
