import { junitCounts, type Counts } from '../stages.ts';
import type { ReportFiles } from './reportFiles.ts';

export interface JunitResult extends Counts {
  /** Relative to the reports directory. */
  path: string;
  name: string;
}

/** Folders of HTML reports whose XML files are not JUnit results. */
const NOT_JUNIT = /^(playwright|playwright-results)\//;

/** Every JUnit XML file under reports/ (per-stage folders included) with its totals. */
export function junitResults(files: ReportFiles): JunitResult[] {
  const results: JunitResult[] = [];
  for (const file of files.find('', /\.xml$/)) {
    if (NOT_JUNIT.test(file)) continue;
    const xml = files.readText(file);
    if (xml === undefined || !/<testsuites?\b/.test(xml)) continue;
    const name = /<testsuites?\b[^>]*\bname="([^"]*)"/.exec(xml)?.[1] ?? file;
    results.push({ path: file, name: decodeXmlEntities(name), ...junitCounts(xml) });
  }
  return results;
}

export function sumCounts(results: readonly Counts[]): Counts {
  return results.reduce(
    (total, result) => ({
      passed: total.passed + result.passed,
      failed: total.failed + result.failed,
      skipped: total.skipped + result.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

export function countsText(counts: Counts): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `${counts.passed} passed, ${counts.failed} failed${skipped}`;
}

function decodeXmlEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
