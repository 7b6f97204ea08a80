import { readCoverage, readMutationScores } from './coverage.ts';
import fs from 'node:fs';
import path from 'node:path';
import { referenceTopology, REPO_ROOT, type Topology } from '@harness/runtime';
import { readChaosJournals } from './chaosJournals.ts';
import { readContractMatrix } from './contractMatrix.ts';
import { junitResults } from './junitResults.ts';
import { linkRows } from './linkRows.ts';
import { ReportFiles } from './reportFiles.ts';
import { renderReportHtml, type CombinedReport } from './reportHtml.ts';
import { stageResults } from './stageResults.ts';

export const DEFAULT_REPORTS_DIR = path.join(REPO_ROOT, 'reports');

export interface BuildReportOptions {
  reportsDir?: string;
  topology?: Topology;
  now?: Date;
  /**
   * Only what was written since then counts (one `harness test` invocation); older files are
   * history: its chaos runs are listed apart, labelled by time, and count for nothing.
   */
  since?: Date;
}

/** Reads what every stage left under reports/ and describes it as one report. */
export function collectReport(options: BuildReportOptions = {}): CombinedReport {
  const root = options.reportsDir ?? DEFAULT_REPORTS_DIR;
  const files = new ReportFiles(root, options.since ? { since: options.since, part: 'current' } : {});
  const topology = options.topology ?? referenceTopology();
  const junit = junitResults(files);
  const contracts = readContractMatrix(files);
  const chaos = readChaosJournals(files, topology);
  const history = files.history();
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    ...(options.since ? { since: options.since.toISOString() } : {}),
    stages: stageResults({ files, junit, contracts, chaos }),
    links: linkRows(topology, contracts, chaos),
    junit,
    chaos,
    chaosHistory: history ? readChaosJournals(history, topology) : [],
    coverage: readCoverage(files),
    mutation: readMutationScores(files),
  };
}

/** Writes reports/index.html from whatever exists (stages without results show as "not run"). */
export function buildReport(options: BuildReportOptions = {}): { file: string; report: CombinedReport } {
  const reportsDir = options.reportsDir ?? DEFAULT_REPORTS_DIR;
  const report = collectReport({ ...options, reportsDir });
  fs.mkdirSync(reportsDir, { recursive: true });
  const file = path.join(reportsDir, 'index.html');
  fs.writeFileSync(file, renderReportHtml(report));
  return { file, report };
}
