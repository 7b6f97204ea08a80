import type { ScenarioRun } from '../runner/ScenarioRun.ts';

interface FlakeRate {
  scenario: string;
  runs: number;
  notPassed: number;
  /** notPassed / runs (0 when every run passed, 1 when none did). */
  rate: number;
}

/** Everything one `harness chaos` run did, as written to journal.json. */
export interface ChaosJournal {
  runId: string;
  startedAt: string;
  durationMs: number;
  options: {
    scenarios: string[];
    profile: string;
    repeat: number;
    seed: number | undefined;
    attach: boolean;
    /** Systems that ran the scenarios side by side (absent: one). */
    parallel?: number;
  };
  system: { mode: 'owned' | 'attached'; proxyMetrics: boolean; startupMs: number };
  summary: { passed: number; failed: number; vacuous: number; skipped: number; flakeRates: FlakeRate[] };
  runs: ScenarioRun[];
}

export function summarize(runs: readonly ScenarioRun[]): ChaosJournal['summary'] {
  const count = (status: ScenarioRun['status']): number => runs.filter((run) => run.status === status).length;
  const ids = [...new Set(runs.map((run) => run.id))];
  const flakeRates = ids.map((scenario) => {
    const own = runs.filter((run) => run.id === scenario && run.status !== 'skipped');
    const notPassed = own.filter((run) => run.status !== 'passed').length;
    return { scenario, runs: own.length, notPassed, rate: own.length === 0 ? 0 : notPassed / own.length };
  });
  return {
    passed: count('passed'),
    failed: count('failed'),
    vacuous: count('vacuous'),
    skipped: count('skipped'),
    flakeRates,
  };
}
