import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type ResolvedConfig } from '@harness/runtime';
import { escapeXml, junitSuite } from '../report/junitSuite.ts';
import { dealSideBySide, heldOutput, startSideBySide } from '../runner/sideBySide.ts';
import { blackBoxCellRunner } from './blackBoxCells.ts';
import type { CellOutcome, CellRunner, CellVerdict } from './cellRunner.ts';
import { chooseCells, FAULT_CLASSES, faultSpace, reducedPairs, type FaultCell, type FaultClass } from './faultSpace.ts';
import { kitCellRunner } from './kitCells.ts';
import { TrafficSampler } from './trafficSampler.ts';

export type { CellVerdict } from './cellRunner.ts';
export { cellScenario, verdictOf } from './blackBoxCells.ts';

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
  /** The Toxiproxy proxies that carried bytes while the fault was in force (the input of dynamic reduction). */
  touched?: string[];
}

/** A run of two single faults at once. */
export interface ExploredPair {
  id: string;
  cells: [string, string];
  verdict: CellVerdict;
  failed: string[];
  durationMs: number;
  replay?: string;
}

export interface ExploreMatrix {
  system: string;
  /** Which runner judged the runs: the kit's (kit oracles and evidence too) or the black-box one. */
  runner: 'kit' | 'black-box';
  seed: number;
  startedAt: string;
  durationMs: number;
  /** Mean time per run. */
  perRunMs: number;
  rows: string[];
  classes: FaultClass[];
  cells: ExploredCell[];
  /** Pairs run after the singles (`--pairs`), and how many dynamic reduction left out. */
  pairs: ExploredPair[];
  pairsPruned: number;
  /** Cells and pairs the budget left out (not run). */
  notRun: string[];
  /** Over single cells and pairs. */
  summary: Record<CellVerdict, number>;
}

export interface ExploreOptions {
  /** Rows (link ids, services), fault classes or cell ids; none: every cell. */
  only?: readonly string[];
  /** At most this many runs (singles and pairs). */
  maxRuns?: number;
  /** No new run starts after this long. */
  timeBudgetMs?: number;
  seed?: number;
  /** Also pairs of the chosen cells, pruned by dynamic reduction (default: the config's explore.pairs). */
  pairs?: boolean;
  /** Env per service over every run's (a mutant's), winning over explore.serviceEnv. */
  serviceEnv?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Also write reports/junit/explore-<name>.xml (default true; `harness mutate` keeps its runs to itself). */
  sharedJunit?: boolean;
  /** Aborted (Ctrl-C): no new run starts, the one in progress rolls back, the system stops. */
  signal?: AbortSignal;
  /**
   * Systems side by side (default 1): each started once, each free one takes the next run (the
   * singles, then the pairs their results keep).
   */
  parallel?: number;
  /** Start no run after a violated or failed one (`harness mutate`: one violation kills the mutant). */
  stopAtFirstViolation?: boolean;
  reportsDir?: string;
  log?: (line: string) => void;
}

export interface ExploreResult {
  matrix: ExploreMatrix;
  reportDir: string;
  /** 1 when a cell was violated or could not run. */
  exitCode: number;
}

/** The config with `env` over its explore.serviceEnv, service by service. */
function withServiceEnv(
  config: ResolvedConfig,
  env: Readonly<Record<string, Readonly<Record<string, string>>>>,
): ResolvedConfig {
  const merged: Record<string, Record<string, string>> = { ...config.explore?.serviceEnv };
  for (const [service, vars] of Object.entries(env)) merged[service] = { ...merged[service], ...vars };
  return { ...config, explore: { ...config.explore, serviceEnv: merged } };
}

/** Left out at each end of a fault's window when explore records what carried traffic. */
const EDGE_MS = 500;

/** A cell runner of the config's chaos runner, started once for the whole exploration. */
function startCellRunner(
  config: ResolvedConfig,
  seed: number,
  logsDir: string,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<CellRunner> {
  return config.chaos.runner === 'kit'
    ? kitCellRunner(config, seed, logsDir, log, signal)
    : blackBoxCellRunner(config, seed, log);
}

/**
 * `harness explore`: starts the system once, runs every chosen cell of the fault space (one fault
 * each, under the explore workload), then, when asked, the pairs of survived cells that dynamic
 * reduction keeps (each fault alone left traffic on the other's path), and writes the resilience
 * coverage matrix (matrix.json, junit.xml, matrix.html) and, for each violated run, a scenario file
 * `harness chaos` replays (replay/<id>.scenario.ts) under reports/systems/<name>/explore/. Works
 * with either chaos runner: the kit runner judges with its kit oracles and evidence as well.
 */
export async function runExplore(config: ResolvedConfig, options: ExploreOptions = {}): Promise<ExploreResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!config.explore) throw new Error(`${config.file}: explore is not set (the workload and timing every run drives)`);
  if (config.chaos.runner !== 'kit' && !config.explore.workload)
    throw new Error(`${config.file}: explore.workload is not set (the workload every run drives)`);
  const seed = options.seed ?? 1;
  const reportDir = options.reportsDir ?? path.join(REPO_ROOT, 'reports', 'systems', config.name, 'explore');
  // Refuse a bad --only before starting anything (the kit's cells are the same, with reported promises).
  const draft = faultSpace(config);
  if (chooseCells(draft, options.only ?? []).length === 0)
    throw new Error(
      `no cell matches ${(options.only ?? []).join(', ')}; rows: ${[...new Set(draft.map((c) => c.row))].join(', ')}; classes: ${FAULT_CLASSES.join(', ')}`,
    );
  fs.rmSync(path.join(reportDir, 'replay'), { recursive: true, force: true });
  fs.mkdirSync(path.join(reportDir, 'replay'), { recursive: true });
  const parallel = options.parallel ?? 1;
  if (!(Number.isInteger(parallel) && parallel >= 1))
    throw new Error(`parallel must be a whole number of systems (1 or more), got ${parallel}`);
  const started = Date.now();
  const withEnv = options.serviceEnv ? withServiceEnv(config, options.serviceEnv) : config;
  // Side by side, a run's lines (its own and its system's) are held and printed together when it ends.
  const output = heldOutput(log, parallel);
  const runners = await startSideBySide(
    parallel,
    (number) =>
      startCellRunner(
        withEnv,
        seed,
        path.join(reportDir, 'logs', ...(parallel > 1 ? [`system-${number}`] : [])),
        output.of(number),
        options.signal,
      ),
    (one) => one.close(),
  );
  const [runner] = runners;
  if (!runner) throw new Error('no system started');
  const space = faultSpace(config, {
    promises: runner.promises,
    ...(runner.services ? { services: runner.services } : {}),
  });
  const chosen = chooseCells(space, options.only ?? []);
  const wantPairs = options.pairs ?? config.explore.pairs ?? false;
  log(
    `=== explore ${config.name} (${config.chaos.runner === 'kit' ? 'kit' : 'black-box'} runner): ${chosen.length} of ${space.length} cells${wantPairs ? ' then pairs' : ''}, seed ${seed}${parallel > 1 ? `, ${parallel} systems side by side` : ''}`,
  );
  const cells: ExploredCell[] = [];
  const pairs: ExploredPair[] = [];
  const notRun: string[] = [];
  let pairsPruned = 0;
  const samplers = runners.map((one) => new TrafficSampler(one.infra.toxiproxy.url));
  let runs = 0;
  let sawViolation = false;
  const budgetLeft = (): boolean =>
    !options.signal?.aborted &&
    !(options.stopAtFirstViolation && sawViolation) &&
    (options.maxRuns === undefined || runs < options.maxRuns) &&
    (options.timeBudgetMs === undefined || Date.now() - started <= options.timeBudgetMs);
  const runOne = async (slot: number, list: readonly FaultCell[]): Promise<CellOutcome & { touched?: Set<string> }> => {
    const [one, sampler] = [runners[slot], samplers[slot]];
    if (!one || !sampler) throw new Error(`no system ${slot + 1}`);
    sampler.start();
    try {
      const outcome = await one.run(list);
      await sampler.stop();
      if (outcome.verdict === 'violated' || outcome.verdict === 'error') sawViolation = true;
      // The window's edges left out: a service killed and started again answers at the very end of
      // its window, which says nothing about what its fault let through.
      const window = outcome.faultWindow;
      const edge = window && window.toMs - window.fromMs > 4 * EDGE_MS ? EDGE_MS : 0;
      const touched = window ? touchedPaths(one, sampler, window.fromMs + edge, window.toMs - edge) : undefined;
      return { ...outcome, ...(touched ? { touched } : {}) };
    } finally {
      await sampler.stop();
    }
  };
  /**
   * Runs the items on the systems side by side (each free one takes the next), in their order as far
   * as the budget goes; returns what each ran item gave, by index, and names the ones left out.
   */
  const explorePhase = async <Item extends { id: string }, Result>(
    items: readonly Item[],
    runItem: (item: Item, slot: number, out: (line: string) => void) => Promise<Result>,
  ): Promise<Result[]> => {
    const results: Array<Result | undefined> = [];
    const left: Array<string | undefined> = [];
    await dealSideBySide(runners, items, (_, item, number, index) => {
      if (!budgetLeft()) {
        left[index] = item.id;
        return Promise.resolve();
      }
      runs++;
      return output.holding(number, async () => {
        const out = output.of(number);
        out(`--- ${item.id}${parallel > 1 ? ` (system ${number})` : ''}`);
        results[index] = await runItem(item, number - 1, out);
      });
    });
    notRun.push(...left.filter((id): id is string => id !== undefined));
    return results.filter((result): result is Result => result !== undefined);
  };
  const writeReplay = (outcome: CellOutcome, failed: readonly string[]): string => {
    const file = path.join('replay', `${outcome.replay.id}.scenario.ts`);
    fs.writeFileSync(path.join(reportDir, file), replayFile(outcome, seed, failed));
    return file;
  };
  const touchedBy = new Map<string, Set<string>>();
  try {
    cells.push(
      ...(await explorePhase(chosen, async (cell, slot, out) => {
        const outcome = await runOne(slot, [cell]);
        const explored: ExploredCell = {
          id: cell.id,
          row: cell.row,
          fault: cell.fault,
          verdict: outcome.verdict,
          failed: outcome.failed,
          durationMs: outcome.durationMs,
          ...(outcome.touched ? { touched: [...outcome.touched].sort() } : {}),
        };
        if (outcome.touched) touchedBy.set(cell.id, outcome.touched);
        if (outcome.verdict === 'violated') explored.replay = writeReplay(outcome, outcome.failed);
        out(
          `${outcome.verdict.toUpperCase()} ${cell.id} (${(outcome.durationMs / 1000).toFixed(1)} s)${outcome.failed.length > 0 ? `: ${outcome.failed[0]}` : ''}`,
        );
        return explored;
      })),
    );
    if (wantPairs) {
      const survived = new Set(cells.filter((cell) => cell.verdict === 'survived').map((cell) => cell.id));
      const reduced = reducedPairs(chosen, touchedBy, survived, runner.infra);
      pairsPruned = reduced.pruned;
      log(`=== pairs: ${reduced.pairs.length} kept, ${reduced.pruned} pruned by dynamic reduction`);
      pairs.push(
        ...(await explorePhase(reduced.pairs, async (pair, slot, out) => {
          const outcome = await runOne(slot, pair.cells);
          const explored: ExploredPair = {
            id: pair.id,
            cells: [pair.cells[0].id, pair.cells[1].id],
            verdict: outcome.verdict,
            failed: outcome.failed,
            durationMs: outcome.durationMs,
          };
          if (outcome.verdict === 'violated') explored.replay = writeReplay(outcome, outcome.failed);
          out(
            `${outcome.verdict.toUpperCase()} ${pair.id} (${(outcome.durationMs / 1000).toFixed(1)} s)${outcome.failed.length > 0 ? `: ${outcome.failed[0]}` : ''}`,
          );
          return explored;
        })),
      );
    }
  } finally {
    await Promise.allSettled(runners.map((one) => one.close()));
  }
  const durationMs = Date.now() - started;
  const all = [...cells, ...pairs];
  const count = (verdict: CellVerdict): number => all.filter((cell) => cell.verdict === verdict).length;
  const matrix: ExploreMatrix = {
    system: config.name,
    runner: config.chaos.runner === 'kit' ? 'kit' : 'black-box',
    seed,
    startedAt: new Date(started).toISOString(),
    durationMs,
    perRunMs: all.length === 0 ? 0 : Math.round(all.reduce((sum, cell) => sum + cell.durationMs, 0) / all.length),
    rows: [...new Set(space.map((cell) => cell.row))],
    classes: FAULT_CLASSES.filter((fault) => space.some((cell) => cell.fault === fault)),
    cells,
    pairs,
    pairsPruned,
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
  if (options.sharedJunit !== false) {
    fs.mkdirSync(path.join(REPO_ROOT, 'reports', 'junit'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'reports', 'junit', `explore-${config.name}.xml`), exploreJunit(matrix));
  }
  const exitCode =
    matrix.summary.violated + matrix.summary.error > 0 || all.length === 0 || options.signal?.aborted ? 1 : 0;
  return { matrix, reportDir, exitCode };
}

/**
 * The paths that carried traffic in a window: proxies whose Toxiproxy byte counters grew (only
 * counted when a connection closes), HTTP links whose taps saw a request (live), and the database
 * and broker connections of every service that was sent requests (pooled connections stay open).
 */
function touchedPaths(
  runner: CellRunner,
  sampler: TrafficSampler,
  fromMs: number,
  toMs: number,
): Set<string> | undefined {
  const touched = new Set(sampler.touched(fromMs, toMs) ?? []);
  const busy = new Set<string>(runner.entries);
  for (const proxy of runner.infra.proxies) {
    if (proxy.kind !== 'link' || proxy.link === undefined) continue;
    const crossed = (runner.taps.get(proxy.link)?.records(fromMs) ?? []).some((request) => request.startMs <= toMs);
    if (crossed) {
      touched.add(proxy.name);
      busy.add(proxy.to);
    }
  }
  for (const proxy of runner.infra.proxies) if (proxy.kind !== 'link' && busy.has(proxy.from)) touched.add(proxy.name);
  return touched.size === 0 ? undefined : touched;
}

/** A violated run as a scenario file: copy it where the config's chaos.scenarios finds it and `harness chaos --seed` replays it. */
function replayFile(outcome: CellOutcome, seed: number, failed: readonly string[]): string {
  return [
    `// Written by \`harness explore\` (seed ${seed}): ${outcome.replay.id}.`,
    `// It failed on: ${failed.slice(0, 3).join(' | ').replace(/\n/g, ' ')}`,
    `// Replay: copy it where chaos.scenarios finds it, then \`harness chaos ${outcome.replay.id} --seed ${seed}\`.`,
    outcome.replay.source,
    '',
  ].join('\n');
}

/** One test case per cell and pair: violated and error are failures, vacuous is skipped (it proved nothing). */
function exploreJunit(matrix: ExploreMatrix): string {
  const outcome = (run: { verdict: CellVerdict; failed: string[] }) => ({
    ...(run.verdict === 'violated' || run.verdict === 'error'
      ? { failure: { message: run.failed[0] ?? run.verdict, text: run.failed.join('\n') } }
      : {}),
    ...(run.verdict === 'vacuous' ? { skipped: run.failed[0] ?? 'vacuous' } : {}),
  });
  return junitSuite(`explore ${matrix.system}`, [
    ...matrix.cells.map((cell) => ({
      classname: `explore.${matrix.system}.${cell.row}`,
      name: cell.fault,
      seconds: cell.durationMs / 1000,
      ...outcome(cell),
    })),
    ...matrix.pairs.map((pair) => ({
      classname: `explore.${matrix.system}.pairs`,
      name: pair.id,
      seconds: pair.durationMs / 1000,
      ...outcome(pair),
    })),
  ]);
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
${pairsHtml(matrix)}`;
}

function pairsHtml(matrix: ExploreMatrix): string {
  if (matrix.pairs.length === 0 && matrix.pairsPruned === 0) return '';
  const rows = matrix.pairs
    .map(
      (pair) =>
        `<tr><td style="color:#000;text-align:left">${escapeXml(pair.id)}</td><td style="background:${COLOURS[pair.verdict]}" title="${escapeXml(pair.failed.join('\n') || 'survived')}">${pair.verdict}</td></tr>`,
    )
    .join('\n');
  return `<h2>Pairs</h2>
<p>${matrix.pairs.length} pairs run; ${matrix.pairsPruned} pruned by dynamic reduction (one fault alone left no traffic on the other's path, or one failed alone).</p>
<table><tr><th>faults</th><th>verdict</th></tr>
${rows}
</table>
`;
}
