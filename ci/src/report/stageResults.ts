import { exploreMatrixFiles } from './coverage.ts';
import type { ReportLink } from './html.ts';
import type { ChaosJournal } from './chaosJournals.ts';
import { CONTRACT_MATRIX_HTML, CONTRACT_MATRIX_JSON, type ContractMatrix } from './contractMatrix.ts';
import { countsText, sumCounts, type JunitResult } from './junitResults.ts';
import type { ReportFiles } from './reportFiles.ts';

export type StageStatus = 'passed' | 'failed' | 'not run' | 'recorded';

/** One stage of the pipeline as the report shows it: a verdict, a line of detail, its files. */
export interface StageResult {
  id: string;
  title: string;
  status: StageStatus;
  detail: string;
  links: ReportLink[];
}

const PLAYWRIGHT_REPORT = 'playwright/index.html';

const notRun = (id: string, title: string, detail: string): StageResult => ({
  id,
  title,
  status: 'not run',
  detail,
  links: [],
});

function fromJunit(id: string, title: string, junit: JunitResult | undefined, links: ReportLink[]): StageResult {
  if (!junit)
    return links.length > 0
      ? { id, title, status: 'recorded', detail: 'no JUnit results', links }
      : notRun(id, title, 'no results');
  return {
    id,
    title,
    status: junit.failed > 0 ? 'failed' : 'passed',
    detail: countsText(junit),
    links: [...links, { label: 'JUnit XML', path: junit.path }],
  };
}

export interface StageInputs {
  files: ReportFiles;
  junit: readonly JunitResult[];
  contracts: ContractMatrix | undefined;
  chaos: readonly ChaosJournal[];
}

/** The verdict of every stage, from whatever its run left under reports/ ("not run" if nothing). */
export function stageResults(inputs: StageInputs): StageResult[] {
  return [
    unitStage(inputs),
    contractStage(inputs),
    chaosStage(inputs),
    loadStage(inputs),
    e2eStage(inputs),
    exploreStage(inputs),
    mutateStage(inputs),
    benchStage(inputs),
  ];
}

/** The mutation scores `harness mutate` wrote: this system's (mutate/) and those under systems/<name>/mutate/. */
function mutateStage({ files }: StageInputs): StageResult {
  const title = 'Mutation score (mutants the chaos suite kills)';
  const scores = [...files.find('mutate', /^score\.json$/), ...files.find('systems', /^score\.json$/)];
  const parts: string[] = [];
  const links: ReportLink[] = [];
  let broken = false;
  for (const file of scores) {
    const score = files.readJson(file) as
      | {
          system?: string;
          killed?: number;
          total?: number;
          baseline?: string;
          mutants?: Array<{ name: string; killed: boolean }>;
        }
      | undefined;
    if (score?.killed === undefined || score.total === undefined) continue;
    const survivors = (score.mutants ?? []).filter((mutant) => !mutant.killed).map((mutant) => mutant.name);
    parts.push(
      `${score.system ?? file}: ${score.killed}/${score.total} killed${survivors.length > 0 ? ` (survived: ${survivors.join(', ')})` : ''}${score.baseline === 'failed' ? ', baseline failed' : ''}`,
    );
    links.push({ label: `${score.system ?? file} score`, path: file });
    broken ||= survivors.length > 0 || score.baseline === 'failed';
  }
  if (parts.length === 0) return notRun('mutate', title, 'no mutation score');
  return { id: 'mutate', title, status: broken ? 'failed' : 'passed', detail: parts.join('; '), links };
}

/**
 * The resilience coverage matrices `harness explore` wrote: this system's (explore/) and those of
 * the systems under systems/<name>/explore/ (the example stage's).
 */
function exploreStage({ files }: StageInputs): StageResult {
  const title = 'Fault-space exploration (resilience coverage)';
  const matrices = exploreMatrixFiles(files);
  if (matrices.length === 0) return notRun('explore', title, 'no coverage matrix');
  const links: ReportLink[] = [];
  const parts: string[] = [];
  let broken = false;
  for (const file of matrices) {
    const matrix = files.readJson(file) as
      { system?: string; summary?: Record<'survived' | 'violated' | 'vacuous' | 'error', number> } | undefined;
    const summary = matrix?.summary;
    if (!summary) continue;
    const page = file.replace(/matrix\.json$/, 'matrix.html');
    links.push({ label: `${matrix.system ?? file} matrix`, path: files.exists(page) ? page : file });
    parts.push(
      `${matrix.system ?? file}: ${summary.survived} survived, ${summary.violated} violated, ${summary.vacuous} vacuous, ${summary.error} errors`,
    );
    broken ||= summary.violated + summary.error > 0;
  }
  if (parts.length === 0) return notRun('explore', title, 'no readable coverage matrix');
  return { id: 'explore', title, status: broken ? 'failed' : 'passed', detail: parts.join('; '), links };
}

function unitStage({ junit }: StageInputs): StageResult {
  return fromJunit(
    'tests',
    'Unit, route and integration tests (vitest)',
    junit.find((j) => j.path === 'junit/vitest.xml'),
    [],
  );
}

function contractStage({ files, contracts, junit }: StageInputs): StageResult {
  const links: ReportLink[] = [];
  if (files.exists(CONTRACT_MATRIX_HTML)) links.push({ label: 'link matrix (HTML)', path: CONTRACT_MATRIX_HTML });
  if (files.exists(CONTRACT_MATRIX_JSON)) links.push({ label: 'link matrix (JSON)', path: CONTRACT_MATRIX_JSON });
  for (const file of files.find('contracts', /\.(html|json)$/)) {
    if (file !== CONTRACT_MATRIX_HTML && file !== CONTRACT_MATRIX_JSON) links.push({ label: file, path: file });
  }
  const contractJunit = junit.filter(
    (j) => j.path.startsWith('contracts/') || /^junit\/(contracts?|pact)/.test(j.path),
  );
  for (const j of contractJunit) links.push({ label: `JUnit ${j.path}`, path: j.path });
  if (!contracts) return { ...notRun('contracts', 'Contracts (Pact on every link)', 'no link matrix'), links };
  const red = [...contracts.links.values()].filter((link) => !link.ok).length;
  const failed = !contracts.ok || red > 0 || contractJunit.some((j) => j.failed > 0);
  return {
    id: 'contracts',
    title: 'Contracts (Pact on every link)',
    status: failed ? 'failed' : 'passed',
    detail: `${contracts.links.size} links, ${red === 0 ? 'all green' : `${red} with red cells`}${contractJunit.length > 0 ? `; ${countsText(sumCounts(contractJunit))}` : ''}`,
    links,
  };
}

function chaosStage({ files, chaos, junit }: StageInputs): StageResult {
  const chaosJunit = junit.filter((j) => j.path.startsWith('chaos/') || j.path === 'junit/chaos.xml');
  const links: ReportLink[] = [];
  for (const page of files.find('chaos', /^index\.html$/)) links.push({ label: page, path: page });
  for (const j of chaosJunit) links.push({ label: `JUnit ${j.path}`, path: j.path });
  if (chaos.length === 0 && chaosJunit.length === 0) return notRun('chaos', 'Chaos experiments', 'no journals');
  const passed = chaos.filter((journal) => journal.outcome === 'passed').length;
  const failed = chaos.length - passed;
  return {
    id: 'chaos',
    title: 'Chaos experiments',
    status: failed > 0 || chaosJunit.some((j) => j.failed > 0) ? 'failed' : 'passed',
    detail: `${chaos.length} scenarios: ${passed} passed, ${failed} failed or vacuous`,
    links,
  };
}

function loadStage({ files, junit }: StageInputs): StageResult {
  const profiles = files.subdirectories('load');
  if (profiles.length === 0) return notRun('load', 'Load (k6, SLO thresholds)', 'no k6 reports');
  const links: ReportLink[] = [];
  const results: JunitResult[] = [];
  const broken: string[] = [];
  for (const profile of profiles) {
    const html = `load/${profile}/report.html`;
    const summary = `load/${profile}/summary.json`;
    if (files.exists(html)) links.push({ label: `${profile} report`, path: html });
    if (files.exists(summary)) links.push({ label: `${profile} summary`, path: summary });
    links.push(...slowTraceLinks(files, profile));
    const result = junit.find((j) => j.path === `load/${profile}/junit.xml`);
    if (result) results.push(result);
    if (result && result.failed > 0) broken.push(profile);
  }
  const total = sumCounts(results);
  return {
    id: 'load',
    title: 'Load (k6, SLO thresholds)',
    status: broken.length > 0 ? 'failed' : results.length > 0 ? 'passed' : 'recorded',
    detail: `${profiles.length} profiles (${profiles.join(', ')}); thresholds ${countsText(total)}${broken.length > 0 ? `; SLOs crossed in ${broken.join(', ')}` : ''}`,
    links,
  };
}

/** The traces of a profile's slowest requests that `harness load` kept (slowest.json, traces/). */
function slowTraceLinks(files: ReportFiles, profile: string): ReportLink[] {
  const slowest = files.readJson(`load/${profile}/slowest.json`);
  if (!Array.isArray(slowest)) return [];
  const links: ReportLink[] = [];
  for (const request of slowest as { ms?: unknown; endpoint?: unknown; trace?: unknown }[]) {
    if (typeof request.trace !== 'string' || typeof request.ms !== 'number') continue;
    const trace = `load/${profile}/${request.trace}`;
    if (!files.exists(trace)) continue;
    links.push({
      label: `${profile} slow ${Math.round(request.ms)} ms ${String(request.endpoint)} (trace)`,
      path: trace,
    });
    if (links.length === 3) break;
  }
  return links;
}

function e2eStage({ files, junit }: StageInputs): StageResult {
  const links = files.exists(PLAYWRIGHT_REPORT) ? [{ label: 'Playwright report', path: PLAYWRIGHT_REPORT }] : [];
  return fromJunit(
    'e2e',
    'End-to-end (Playwright, storefront)',
    junit.find((j) => j.path === 'junit/e2e.xml'),
    links,
  );
}

function benchStage({ files }: StageInputs): StageResult {
  const latest = 'bench/latest.json';
  if (!files.exists(latest)) return notRun('bench', 'Benchmark', 'no benchmark recorded');
  const runs = files.find('bench', /\.json$/).filter((file) => file !== latest);
  return {
    id: 'bench',
    title: 'Benchmark',
    status: 'recorded',
    detail: `${runs.length} runs recorded (measured, not gated)`,
    links: [{ label: 'latest run', path: latest }],
  };
}
