import { coverageSectionHtml, type CoverageGrid, type MutationSummary } from './coverage.ts';
import { journalLabel, type ChaosJournal } from './chaosJournals.ts';
import { escapeHtml, linkHtml } from './html.ts';
import { countsText, type JunitResult } from './junitResults.ts';
import type { LinkRow, LinkVerdict } from './linkRows.ts';
import type { StageResult, StageStatus } from './stageResults.ts';

export interface CombinedReport {
  generatedAt: string;
  /** Set for one invocation's report (`harness test`): only files written since then count. */
  since?: string;
  stages: StageResult[];
  links: LinkRow[];
  junit: JunitResult[];
  chaos: ChaosJournal[];
  /** Chaos runs from before `since`: listed apart, counted nowhere. */
  chaosHistory: ChaosJournal[];
  /** The resilience coverage matrices `harness explore` wrote. */
  coverage: CoverageGrid[];
  /** The mutation scores `harness mutate` wrote. */
  mutation: MutationSummary[];
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f3f3}
.passed{background:#e6f4ea}.failed{background:#fce8e6}.not-run{background:#f1f1f1;color:#666}.recorded{background:#e8f0fe}
.verdict{font-weight:600;white-space:nowrap}
small{color:#555}
ul.links{margin:0;padding-left:1.1rem}
table.coverage{width:auto}table.coverage td.cov{color:#fff;text-align:center;font-size:.8rem}
`;

const statusClass = (status: StageStatus | LinkVerdict): string => status.replace(' ', '-');

interface VerdictCellOptions {
  detail?: string;
  /** `data-column` of the cell, for readers of the page. */
  column?: string;
  /** HTML appended inside the cell (already escaped). */
  extraHtml?: string;
}

function verdictCell(status: StageStatus | LinkVerdict, options: VerdictCellOptions = {}): string {
  const small = options.detail ? `<br><small>${escapeHtml(options.detail)}</small>` : '';
  const column = options.column ? ` data-column="${escapeHtml(options.column)}"` : '';
  return `<td class="${statusClass(status)}" data-status="${escapeHtml(status)}"${column}><span class="verdict">${escapeHtml(status)}</span>${small}${options.extraHtml ?? ''}</td>`;
}

function linksList(links: readonly { label: string; path: string }[]): string {
  if (links.length === 0) return '—';
  return `<ul class="links">${links.map((link) => `<li>${linkHtml(link)}</li>`).join('')}</ul>`;
}

function stagesTable(stages: readonly StageResult[]): string {
  const rows = stages.map(
    (stage) =>
      `<tr data-stage="${escapeHtml(stage.id)}"><th scope="row">${escapeHtml(stage.title)}</th>${verdictCell(stage.status)}<td>${escapeHtml(stage.detail)}</td><td>${linksList(stage.links)}</td></tr>`,
  );
  return `<table id="stages"><thead><tr><th>stage</th><th>status</th><th>result</th><th>reports</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function linkMatrixTable(links: readonly LinkRow[]): string {
  const rows = links.map((link) => {
    const journals = link.chaosJournals.map((journal) => ({
      label: `${journalLabel(journal)}: ${journal.outcome}`,
      path: journal.htmlPath ?? journal.path,
    }));
    const chaosDetail = link.chaosJournals.length === 0 ? 'no scenario faulted this link' : '';
    return [
      `<tr data-link="${link.id}">`,
      `<th scope="row">${link.id}</th>`,
      `<td>${escapeHtml(link.ends)}<br><small>${escapeHtml(link.purpose)}</small></td>`,
      `<td>${escapeHtml(link.contract)}</td>`,
      `<td><small>${escapeHtml(link.proxies.join(', '))}</small></td>`,
      verdictCell(link.contractVerdict, { detail: link.contractDetail, column: 'contract' }),
      verdictCell(link.chaosVerdict, {
        detail: chaosDetail,
        column: 'chaos',
        ...(journals.length > 0 ? { extraHtml: linksList(journals) } : {}),
      }),
      '</tr>',
    ].join('');
  });
  return `<table id="link-matrix"><thead><tr><th>link</th><th>from → to</th><th>contract</th><th>Toxiproxy</th><th>contract checks</th><th>chaos</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function junitTable(junit: readonly JunitResult[]): string {
  if (junit.length === 0) return '<p id="junit">No JUnit results yet.</p>';
  const rows = junit.map(
    (result) =>
      `<tr><td>${linkHtml({ label: result.path, path: result.path })}</td><td>${escapeHtml(result.name)}</td>${verdictCell(result.failed > 0 ? 'failed' : 'passed', { detail: countsText(result) })}</tr>`,
  );
  return `<table id="junit"><thead><tr><th>file</th><th>suite</th><th>result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function chaosTable(chaos: readonly ChaosJournal[], id = 'chaos-journals', empty = 'No chaos journals yet.'): string {
  if (chaos.length === 0) return `<p id="${id}">${escapeHtml(empty)}</p>`;
  const rows = chaos.map((journal) => {
    const files = [{ label: 'journal', path: journal.path }];
    if (journal.htmlPath) files.push({ label: 'page', path: journal.htmlPath });
    const status: LinkVerdict = journal.outcome === 'passed' ? 'passed' : 'failed';
    return `<tr><td>${escapeHtml(journal.scenario)}</td>${verdictCell(status, { detail: journal.outcome === 'passed' || journal.outcome === 'failed' ? '' : journal.outcome })}<td>${escapeHtml(journal.links.join(', ') || '—')}</td><td>${escapeHtml(journal.at ?? '—')}</td><td>${linksList(files)}</td></tr>`;
  });
  return `<table id="${id}"><thead><tr><th>scenario</th><th>result</th><th>links</th><th>written</th><th>files</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Earlier runs kept in the working copy, newest first: shown for reference, counted nowhere. */
function chaosHistorySection(report: CombinedReport): string {
  if (report.since === undefined) return '';
  const history = [...report.chaosHistory].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return `<section aria-labelledby="chaos-history-heading"><h2 id="chaos-history-heading">Earlier chaos runs (history)</h2>
<p>Journals written before this run started (${escapeHtml(report.since)}); they count for no stage and no link.</p>
${chaosTable(history, 'chaos-history', 'None.')}</section>`;
}

/** The combined report page: stages, the link matrix L1–L8, chaos journals and JUnit files. */
export function renderReportHtml(report: CombinedReport): string {
  const counted = report.stages.filter((stage) => stage.status === 'passed' || stage.status === 'failed');
  const failed = counted.filter((stage) => stage.status === 'failed').length;
  const notRun = report.stages.filter((stage) => stage.status === 'not run').length;
  const headline = `${counted.length - failed} stages passed, ${failed} failed, ${notRun} not run`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Harness report</h1>
<p id="headline" data-failed="${failed}">${escapeHtml(headline)}. Generated ${escapeHtml(report.generatedAt)}${report.since ? ` from the results written since ${escapeHtml(report.since)}` : ''}.</p>
</header>
<main>
<section aria-labelledby="stages-heading"><h2 id="stages-heading">Stages</h2>${stagesTable(report.stages)}</section>
<section aria-labelledby="links-heading"><h2 id="links-heading">Link matrix</h2>
<p>Every link of the reference topology with its contract checks (Pact, spec conformance, breaking changes) and the chaos scenarios that faulted it.</p>
${linkMatrixTable(report.links)}</section>
<section aria-labelledby="chaos-heading"><h2 id="chaos-heading">Chaos journals</h2>${chaosTable(report.chaos, 'chaos-journals', report.since ? 'No chaos run in this invocation.' : 'No chaos journals yet.')}</section>
${coverageSectionHtml(report.coverage, report.mutation)}
${chaosHistorySection(report)}
<section aria-labelledby="junit-heading"><h2 id="junit-heading">JUnit results</h2>${junitTable(report.junit)}</section>
</main>
</body>
</html>
`;
}
