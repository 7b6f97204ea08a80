import path from 'node:path';
import type { LinkId, Topology } from '@harness/runtime';
import type { ReportFiles } from './reportFiles.ts';

const CHAOS_DIR = 'chaos';

type ChaosOutcome = 'passed' | 'failed' | 'vacuous' | 'unknown';

/** One chaos journal as the report shows it. */
export interface ChaosJournal {
  /** Relative to the reports directory. */
  path: string;
  /** The HTML page next to the journal (same name), if the runner wrote one. */
  htmlPath: string | undefined;
  scenario: string;
  outcome: ChaosOutcome;
  /** Links its faults hit. */
  links: LinkId[];
  /** When the journal was written (ISO), if known. */
  at?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads every chaos journal under reports/chaos: the runner's `journal.json` (one entry per
 * scenario run), or any other JSON file naming a scenario. For the latter this reader relies on: a scenario name (`scenario`
 * as a string or `{ name | id }`, or `name`/`id`), an outcome (`passed`/`ok` booleans, or
 * `verdict`/`outcome`/`status`/`result` strings: pass, fail, vacuous), and the faults' targets
 * (`link: "L5"`, `links: [...]`, `broker: "<service>"` for the message links of that service).
 */
export function readChaosJournals(files: ReportFiles, topology: Topology): ChaosJournal[] {
  const journals: ChaosJournal[] = [];
  for (const file of files.find(CHAOS_DIR, /\.json$/)) {
    const json = files.readJson(file);
    if (!isRecord(json)) continue;
    const at = files.modifiedAt(file)?.toISOString();
    if (Array.isArray(json.runs)) {
      journals.push(...suiteRuns(file, json.runs, files, topology).map((run) => (at ? { ...run, at } : run)));
      continue;
    }
    const scenario = scenarioName(json);
    if (scenario === undefined) continue;
    const html = file.replace(/\.json$/, '.html');
    journals.push({
      path: file,
      htmlPath: files.exists(html) ? html : undefined,
      scenario,
      outcome: outcomeOf(json),
      links: linksTouched(json, topology),
      ...(at ? { at } : {}),
    });
  }
  return journals;
}

/**
 * The scenario runs of one `harness chaos` journal (`journal.json`: `runs[]` with `id`, `status`
 * and the `links` each scenario exercises), with the run's HTML page (`index.html` beside it).
 */
function suiteRuns(file: string, runs: unknown[], files: ReportFiles, topology: Topology): ChaosJournal[] {
  const html = path.join(path.dirname(file), 'index.html');
  const journals: ChaosJournal[] = [];
  for (const run of runs) {
    if (!isRecord(run) || typeof run.id !== 'string') continue;
    journals.push({
      path: file,
      htmlPath: files.exists(html) ? html : undefined,
      scenario: run.id,
      outcome: outcomeOf(run),
      links: linksTouched(run, topology),
    });
  }
  return journals;
}

function scenarioName(json: Record<string, unknown>): string | undefined {
  const scenario = json.scenario;
  if (typeof scenario === 'string') return scenario;
  if (isRecord(scenario)) {
    const name = scenario.name ?? scenario.id;
    if (typeof name === 'string') return name;
  }
  if (typeof json.name === 'string' && ('faults' in json || 'expectations' in json)) return json.name;
  return undefined;
}

function outcomeOf(json: Record<string, unknown>): ChaosOutcome {
  for (const key of ['verdict', 'outcome', 'status', 'result']) {
    const value = json[key];
    const text =
      typeof value === 'string' ? value : isRecord(value) && typeof value.status === 'string' ? value.status : '';
    if (/vacuous/i.test(text)) return 'vacuous';
    if (/^(pass|passed|ok|success|succeeded)$/i.test(text)) return 'passed';
    if (/^(fail|failed|failure|error)$/i.test(text)) return 'failed';
  }
  for (const key of ['passed', 'ok']) {
    if (typeof json[key] === 'boolean') return json[key] ? 'passed' : 'failed';
  }
  return 'unknown';
}

/** The links a journal's faults and targets name anywhere in it. */
function linksTouched(json: unknown, topology: Topology): LinkId[] {
  const links = new Set<LinkId>();
  const known = new Set<string>(topology.links.map((link) => link.id));
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'link' && typeof child === 'string' && known.has(child)) links.add(child as LinkId);
      if (key === 'links' && Array.isArray(child)) {
        for (const id of child) if (typeof id === 'string' && known.has(id)) links.add(id as LinkId);
      }
      if (key === 'broker' && typeof child === 'string') {
        for (const link of topology.links) {
          if (link.kind === 'amqp' && (link.from === child || link.to === child)) links.add(link.id);
        }
      }
      visit(child);
    }
  };
  visit(json);
  return [...links].sort();
}

/** A short label for a journal: its scenario, or its file name when scenarios repeat. */
export function journalLabel(journal: ChaosJournal): string {
  return `${journal.scenario} (${path.basename(journal.path)})`;
}
