import { escapeHtml, linkHtml, type ReportLink } from './html.ts';
import type { ReportFiles } from './reportFiles.ts';

type Verdict = 'survived' | 'violated' | 'vacuous' | 'error';

/** One system's resilience coverage matrix as the combined report draws it (from `harness explore`'s matrix.json). */
export interface CoverageGrid {
  system: string;
  rows: string[];
  classes: string[];
  cells: Array<{ row: string; fault: string; verdict: Verdict; failed: string[] }>;
  pairs: Array<{ id: string; verdict: Verdict }>;
  pairsPruned: number;
  durationMs: number;
  page?: ReportLink;
}

/** One system's mutation score (from `harness mutate`'s score.json). */
export interface MutationSummary {
  system: string;
  stage: string;
  killed: number;
  total: number;
  mutants: Array<{ name: string; killed: boolean; by: string }>;
}

/** The matrices explore wrote for this system and the config systems, not a mutant's (those are meant to fail). */
export function exploreMatrixFiles(files: ReportFiles): string[] {
  return [...files.find('explore', /^matrix\.json$/), ...files.find('systems', /^matrix\.json$/)].filter(
    (file) => !file.split(/[\\/]/).includes('mutate'),
  );
}

export function readCoverage(files: ReportFiles): CoverageGrid[] {
  const grids: CoverageGrid[] = [];
  for (const file of exploreMatrixFiles(files)) {
    const matrix = files.readJson(file) as Partial<CoverageGrid> | undefined;
    if (
      !matrix?.system ||
      !Array.isArray(matrix.rows) ||
      !Array.isArray(matrix.classes) ||
      !Array.isArray(matrix.cells)
    )
      continue;
    const page = file.replace(/matrix\.json$/, 'matrix.html');
    grids.push({
      system: matrix.system,
      rows: matrix.rows,
      classes: matrix.classes,
      cells: matrix.cells,
      pairs: Array.isArray(matrix.pairs) ? matrix.pairs : [],
      pairsPruned: matrix.pairsPruned ?? 0,
      durationMs: matrix.durationMs ?? 0,
      ...(files.exists(page) ? { page: { label: 'matrix page', path: page } } : {}),
    });
  }
  return grids;
}

export function readMutationScores(files: ReportFiles): MutationSummary[] {
  const scores: MutationSummary[] = [];
  for (const file of [...files.find('mutate', /^score\.json$/), ...files.find('systems', /^score\.json$/)]) {
    const score = files.readJson(file) as
      | {
          system?: string;
          stage?: string;
          killed?: number;
          total?: number;
          mutants?: Array<{ name: string; killed: boolean; by?: string[] }>;
        }
      | undefined;
    if (!score?.system || score.total === undefined || !Array.isArray(score.mutants)) continue;
    scores.push({
      system: score.system,
      stage: score.stage ?? 'chaos',
      killed: score.killed ?? 0,
      total: score.total,
      mutants: score.mutants.map((mutant) => ({ name: mutant.name, killed: mutant.killed, by: mutant.by?.[0] ?? '' })),
    });
  }
  return scores;
}

const COLOURS: Record<Verdict | 'not-run', string> = {
  survived: '#2e7d32',
  violated: '#c62828',
  vacuous: '#9e9e9e',
  error: '#6a1b9a',
  'not-run': '#e0e0e0',
};

function gridHtml(grid: CoverageGrid): string {
  const head = grid.classes.map((fault) => `<th>${escapeHtml(fault)}</th>`).join('');
  const body = grid.rows
    .map((row) => {
      const tds = grid.classes
        .map((fault) => {
          const cell = grid.cells.find((one) => one.row === row && one.fault === fault);
          if (!cell) return '<td class="cov-none"></td>';
          return `<td class="cov" style="background:${COLOURS[cell.verdict]}" title="${escapeHtml(cell.failed.join('\n') || cell.verdict)}">${escapeHtml(cell.verdict)}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(row)}</th>${tds}</tr>`;
    })
    .join('');
  const count = (verdict: Verdict): number =>
    grid.cells.filter((cell) => cell.verdict === verdict).length +
    grid.pairs.filter((pair) => pair.verdict === verdict).length;
  const pairs =
    grid.pairs.length + grid.pairsPruned > 0
      ? `; pairs: ${grid.pairs.length} run (${grid.pairs.filter((pair) => pair.verdict === 'survived').length} survived), ${grid.pairsPruned} pruned by dynamic reduction`
      : '';
  return `<h3>${escapeHtml(grid.system)}</h3>
<p>${count('survived')} survived, ${count('violated')} violated, ${count('vacuous')} vacuous, ${count('error')} errors in ${(grid.durationMs / 1000).toFixed(0)} s${pairs}.${grid.page ? ` ${linkHtml(grid.page)}` : ''}</p>
<table class="coverage" data-system="${escapeHtml(grid.system)}"><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function scoreHtml(score: MutationSummary): string {
  const rows = score.mutants
    .map(
      (mutant) =>
        `<tr class="${mutant.killed ? 'passed' : 'failed'}"><td>${escapeHtml(mutant.name)}</td><td class="verdict">${mutant.killed ? 'killed' : 'survived'}</td><td><small>${escapeHtml(mutant.by)}</small></td></tr>`,
    )
    .join('');
  return `<h3>${escapeHtml(score.system)}: mutation score ${score.killed}/${score.total} (against ${escapeHtml(score.stage)})</h3>
<table class="mutation" data-system="${escapeHtml(score.system)}"><thead><tr><th>mutant</th><th>verdict</th><th>killed by (or why it survived)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The resilience coverage matrices and mutation scores, drawn into the combined report. */
export function coverageSectionHtml(grids: readonly CoverageGrid[], scores: readonly MutationSummary[]): string {
  if (grids.length === 0 && scores.length === 0) return '';
  return `<section aria-labelledby="coverage-heading"><h2 id="coverage-heading">Resilience coverage and mutation score</h2>
<p>Each matrix: rows are links and services, columns fault classes (<code>harness explore</code>); hover a cell for what failed. Each score: the resilience mechanisms switched off one at a time (<code>harness mutate</code>) and what caught each.</p>
${grids.map(gridHtml).join('\n')}
${scores.map(scoreHtml).join('\n')}</section>`;
}
