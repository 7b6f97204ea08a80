import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type ResolvedConfig } from '@harness/runtime';
import { escapeXml, junitSuite } from '../report/junitSuite.ts';
import type { SystemScenario } from '../systems/SystemScenario.ts';
import { runSystemScenario, type SystemScenarioOutcome } from '../systems/runSystemScenario.ts';
import { startSystemUnderChaos } from '../systems/SystemUnderChaos.ts';
import { chooseCells, FAULT_CLASSES, faultSpace, type FaultCell, type FaultClass } from './faultSpace.ts';

export type CellVerdict = 'survived' | 'violated' | 'vacuous' | 'error';

export interface ExploredCell {
  id: string;
  row: string;
  fault: FaultClass;
  verdict: CellVerdict;
  /** What failed (check, oracle check or invariant, with its detail); empty when it survived. */
  failed: string[];
  durationMs: number;
  /** The replayable scenario file of a violated cell, relative to the report folder. */
  replay?: string;
}

export interface ExploreMatrix {
  system: string;
  seed: number;
  startedAt: string;
  durationMs: number;
  /** Mean time per run. */
  perRunMs: number;
  rows: string[];
  classes: FaultClass[];
  cells: ExploredCell[];
  /** Cells the budget left out (not run). */
  notRun: string[];
  summary: Record<CellVerdict, number>;
}

export interface ExploreOptions {
  /** Rows (link ids, services), fault classes or cell ids; none: every cell. */
  only?: readonly string[];
  maxRuns?: number;
  /** No new run starts after this long. */
  timeBudgetMs?: number;
  seed?: number;
  reportsDir?: string;
  log?: (line: string) => void;
}

export interface ExploreResult {
  matrix: ExploreMatrix;
  reportDir: string;
  /** 1 when a cell was violated or could not run. */
  exitCode: number;
}

const FAULT_START_MS = 500;

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The scenario one cell runs: its fault under the config's explore workload, judged by the cell's oracles. */
export function cellScenario(config: ResolvedConfig, cell: FaultCell): SystemScenario {
  const explore = config.explore;
  if (!explore) throw new Error(`${config.file}: explore.workload is not set`);
  const faultId = slug(cell.id);
  const faultMs = explore.faultMs ?? 5_000;
  return {
    id: `explore-${faultId}`,
    title: `explore: ${cell.fault} on ${cell.row}`,
    hypothesis: `With ${cell.fault} on ${cell.row} for ${faultMs} ms, the invariants hold${
      cell.oracles.length > 0 ? `, ${cell.link} keeps its promised ${cell.oracles.join(', ')}` : ''
    } and every service is ready again afterwards.`,
    timeLimitMs: 60_000,
    faults: [
      { ...cell.spec, id: faultId, startMs: FAULT_START_MS, stopMs: FAULT_START_MS + faultMs },
    ] as SystemScenario['faults'],
    workload: explore.workload,
    expectations: {
      ...(cell.link && cell.oracles.length > 0
        ? { oracles: [{ link: cell.link, fault: faultId, only: cell.oracles }] }
        : {}),
      settleWithinMs: explore.settleWithinMs ?? 20_000,
    },
    recovery: { withinMs: 15_000 },
  };
}

/** survived, violated (naming what failed), vacuous (the fault touched nothing), or error. */
export function verdictOf(outcome: SystemScenarioOutcome): { verdict: CellVerdict; failed: string[] } {
  if (outcome.error) return { verdict: 'error', failed: [`error: ${outcome.error}`] };
  const failedChecks = outcome.checks.filter((check) => !check.passed);
  const failed = [
    ...failedChecks.map((check) => `${check.name}: ${check.detail}`),
    ...outcome.oracles
      .filter((oracle) => !oracle.passed)
      .flatMap((oracle) =>
        oracle.checks.filter((c) => !c.passed).map((c) => `${oracle.oracle} ${c.name}: ${c.detail}`),
      ),
    ...outcome.invariants.filter((one) => !one.holds).map((one) => `invariant ${one.name}: ${one.detail}`),
  ];
  if (failed.length === 0) return { verdict: 'survived', failed };
  const onlyVacuity =
    failedChecks.length === failed.length && failedChecks.every((c) => c.name.startsWith('not-vacuous'));
  return { verdict: onlyVacuity ? 'vacuous' : 'violated', failed };
}

/**
 * `harness explore`: starts the system once, runs every chosen cell of the fault space (one fault
 * each, under the config's explore workload), and writes the resilience coverage matrix
 * (matrix.json, junit.xml, matrix.html) and, for each violated cell, a scenario file `harness
 * chaos` replays (replay/<id>.scenario.ts) under reports/systems/<name>/explore/.
 */
export async function runExplore(config: ResolvedConfig, options: ExploreOptions = {}): Promise<ExploreResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!config.explore) throw new Error(`${config.file}: explore.workload is not set (the workload every run drives)`);
  const space = faultSpace(config);
  const chosen = chooseCells(space, options.only ?? [], options.maxRuns);
  if (chosen.length === 0)
    throw new Error(
      `no cell matches ${(options.only ?? []).join(', ')}; rows: ${[...new Set(space.map((c) => c.row))].join(', ')}; classes: ${FAULT_CLASSES.join(', ')}`,
    );
  const seed = options.seed ?? 1;
  const reportDir = options.reportsDir ?? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'explore');
  fs.rmSync(path.join(reportDir, 'replay'), { recursive: true, force: true });
  fs.mkdirSync(path.join(reportDir, 'replay'), { recursive: true });
  const started = Date.now();
  log(`=== explore ${config.name}: ${chosen.length} of ${space.length} cells, seed ${seed}`);
  const system = await startSystemUnderChaos(config, { seed, log: (line) => log(`  ${line}`) });
  const cells: ExploredCell[] = [];
  const notRun: string[] = [];
  try {
    for (const cell of chosen) {
      if (options.timeBudgetMs !== undefined && Date.now() - started > options.timeBudgetMs) {
        notRun.push(cell.id);
        continue;
      }
      const scenario = cellScenario(config, cell);
      log(`--- ${cell.id}`);
      const outcome = await runSystemScenario(system, scenario, (line) => log(line));
      const { verdict, failed } = verdictOf(outcome);
      const explored: ExploredCell = {
        id: cell.id,
        row: cell.row,
        fault: cell.fault,
        verdict,
        failed,
        durationMs: outcome.durationMs,
      };
      if (verdict === 'violated') {
        explored.replay = path.join('replay', `${scenario.id}.scenario.ts`);
        fs.writeFileSync(path.join(reportDir, explored.replay), replayFile(scenario, seed, failed));
      }
      cells.push(explored);
      log(
        `${verdict.toUpperCase()} ${cell.id} (${(outcome.durationMs / 1000).toFixed(1)} s)${failed.length > 0 ? `: ${failed[0]}` : ''}`,
      );
    }
  } finally {
    await system.close();
  }
  const durationMs = Date.now() - started;
  const count = (verdict: CellVerdict): number => cells.filter((cell) => cell.verdict === verdict).length;
  const matrix: ExploreMatrix = {
    system: config.name,
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs,
    perRunMs: cells.length === 0 ? 0 : Math.round(cells.reduce((sum, cell) => sum + cell.durationMs, 0) / cells.length),
    rows: [...new Set(space.map((cell) => cell.row))],
    classes: FAULT_CLASSES.filter((fault) => space.some((cell) => cell.fault === fault)),
    cells,
    notRun,
    summary: {
      survived: count('survived'),
      violated: count('violated'),
      vacuous: count('vacuous'),
      error: count('error'),
    },
  };
  fs.writeFileSync(path.join(reportDir, 'matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  fs.writeFileSync(path.join(reportDir, 'junit.xml'), exploreJunit(matrix));
  fs.writeFileSync(path.join(reportDir, 'matrix.html'), matrixHtml(matrix, space));
  fs.mkdirSync(path.join(REPO_ROOT, 'reports', 'junit'), { recursive: true });
  fs.writeFileSync(path.join(REPO_ROOT, 'reports', 'junit', `explore-${config.name}.xml`), exploreJunit(matrix));
  const exitCode = matrix.summary.violated + matrix.summary.error > 0 || cells.length === 0 ? 1 : 0;
  return { matrix, reportDir, exitCode };
}

/** A violated cell as a scenario file: copy it where the config's chaos.scenarios finds it and `harness chaos --seed` replays it. */
function replayFile(scenario: SystemScenario, seed: number, failed: readonly string[]): string {
  return [
    `// Written by \`harness explore\` (seed ${seed}): ${scenario.title}.`,
    `// It failed on: ${failed.slice(0, 3).join(' | ').replace(/\n/g, ' ')}`,
    `// Replay: copy it where chaos.scenarios finds it, then \`harness chaos ${scenario.id} --seed ${seed}\`.`,
    "import { defineScenario } from '@harness/ci/config';",
    '',
    `export default defineScenario(${JSON.stringify(scenario, null, 2)});`,
    '',
  ].join('\n');
}

/** One test case per cell: violated and error are failures, vacuous is skipped (it proved nothing). */
function exploreJunit(matrix: ExploreMatrix): string {
  return junitSuite(
    `explore ${matrix.system}`,
    matrix.cells.map((cell) => ({
      classname: `explore.${matrix.system}.${cell.row}`,
      name: cell.fault,
      seconds: cell.durationMs / 1000,
      ...(cell.verdict === 'violated' || cell.verdict === 'error'
        ? { failure: { message: cell.failed[0] ?? cell.verdict, text: cell.failed.join('\n') } }
        : {}),
      ...(cell.verdict === 'vacuous' ? { skipped: cell.failed[0] ?? 'vacuous' } : {}),
    })),
  );
}

const COLOURS: Record<CellVerdict | 'not-run' | 'n/a', string> = {
  survived: '#2e7d32',
  violated: '#c62828',
  vacuous: '#9e9e9e',
  error: '#6a1b9a',
  'not-run': '#e0e0e0',
  'n/a': '#ffffff',
};

/** The matrix as a page: rows are links and services, columns fault classes, each cell its verdict. */
function matrixHtml(matrix: ExploreMatrix, space: readonly FaultCell[]): string {
  const head = matrix.classes.map((fault) => `<th>${escapeXml(fault)}</th>`).join('');
  const rows = matrix.rows
    .map((row) => {
      const tds = matrix.classes
        .map((fault) => {
          const done = matrix.cells.find((cell) => cell.row === row && cell.fault === fault);
          const possible = space.some((cell) => cell.row === row && cell.fault === fault);
          const state = done?.verdict ?? (possible ? 'not-run' : 'n/a');
          const title = done ? done.failed.join('\n') || 'survived' : state;
          return `<td style="background:${COLOURS[state]}" title="${escapeXml(title)}">${possible ? escapeXml(state) : ''}</td>`;
        })
        .join('');
      return `<tr><th>${escapeXml(row)}</th>${tds}</tr>`;
    })
    .join('\n');
  const { summary } = matrix;
  return `<!doctype html><meta charset="utf-8"><title>Resilience coverage: ${escapeXml(matrix.system)}</title>
<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px}td{color:#fff;text-align:center}</style>
<h1>Resilience coverage: ${escapeXml(matrix.system)}</h1>
<p>${summary.survived} survived, ${summary.violated} violated, ${summary.vacuous} vacuous, ${summary.error} errors; ${matrix.cells.length} runs in ${(matrix.durationMs / 1000).toFixed(0)} s (${(matrix.perRunMs / 1000).toFixed(1)} s per run), seed ${matrix.seed}. Hover a cell for what failed.</p>
<table><tr><th></th>${head}</tr>
${rows}
</table>
`;
}
