import type { ScenarioRun } from '../runner/ScenarioRun.ts';
import { latencyOf, percentile } from '../workload/ResponseRecord.ts';
import type { ChaosJournal } from './ChaosJournal.ts';
import { timelineSvg } from './timelineSvg.ts';

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const badge = (status: string): string => `<span class="badge ${status}">${status}</span>`;
const mark = (ok: boolean): string => (ok ? '<span class="ok">✔</span>' : '<span class="ko">✘</span>');

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return `<table><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}

function section(run: ScenarioRun, anchor: string): string {
  const latencies = run.responses.map(latencyOf);
  const statuses = new Map<number, number>();
  for (const response of run.responses) statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  return `
<section id="${anchor}">
  <h2>${esc(run.id)}${run.repeat > 1 ? ` #${run.repeat}` : ''} ${badge(run.status)}</h2>
  <p><b>${esc(run.title)}</b> — ${(run.durationMs / 1000).toFixed(1)} s</p>
  <p class="hypothesis">Hypothesis: ${esc(run.hypothesis)}</p>
  ${run.failures.length > 0 ? `<ul class="failures">${run.failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : ''}
  ${timelineSvg(run)}
  <p class="muted">${run.responses.length} responses (${[...statuses].map(([s, n]) => `${n}× ${s === 0 ? 'no answer' : s}`).join(', ')}); p50 ${percentile(latencies, 0.5)} ms, p95 ${percentile(latencies, 0.95)} ms.</p>
  <h3>Faults and evidence</h3>
  ${table(
    ['fault', 'what', 'in force', 'touched traffic', 'proof'],
    run.faults.map((fault) => {
      const evidence = run.evidence.find((e) => e.fault === fault.id);
      const t0 = run.timeline?.t0 ?? 0;
      const span =
        fault.injectedAtMs === undefined
          ? 'never'
          : `${((fault.injectedAtMs - t0) / 1000).toFixed(1)}–${fault.liftedAtMs === undefined ? '?' : ((fault.liftedAtMs - t0) / 1000).toFixed(1)} s`;
      return [
        esc(fault.id),
        esc(fault.description + (fault.error ? ` (error: ${fault.error})` : '')),
        span,
        mark(evidence?.touched ?? false),
        esc([...(evidence?.proofs ?? []), ...(evidence?.empty ?? []).map((e) => `no: ${e}`)].join('; ')),
      ];
    }),
  )}
  <h3>Pattern oracles</h3>
  ${table(
    ['oracle', 'check', '', 'detail'],
    run.oracles.flatMap((oracle) =>
      oracle.checks.map((c) => [esc(oracle.oracle), esc(c.name), mark(c.passed), esc(c.detail)]),
    ),
  )}
  <h3>Business invariants</h3>
  ${table(
    ['invariant', '', 'checked', 'violations'],
    run.invariants.map((i) => [esc(i.name), mark(i.passed), esc(i.checked), esc(i.violations.slice(0, 5).join('; '))]),
  )}
  <h3>Responses</h3>
  ${table(
    ['expectation', '', 'responses', 'failures'],
    run.expectations.map((e) => [esc(e.expectation), mark(e.passed), String(e.responses), esc(e.failures.join('; '))]),
  )}
  <h3>Steady state, rollback, recovery</h3>
  ${table(
    ['phase', 'step', '', 'detail'],
    [
      ...run.steadyState.map((p) => ['steady state', esc(p.probe), mark(p.passed), esc(p.detail)]),
      ...run.rollback.map((r) => ['rollback', esc(r.step), mark(r.ok), esc(r.error ?? '')]),
      ...run.recovery.map((p) => ['recovery', esc(p.probe), mark(p.passed), esc(p.detail)]),
    ],
  )}
</section>`;
}

/** A self-contained HTML page of one chaos run: summary, flake rates, one section per scenario run. */
export function htmlReport(journal: ChaosJournal): string {
  const { summary } = journal;
  const anchors = journal.runs.map((run) => `${run.id}-${run.repeat}`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chaos run ${esc(journal.runId)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#212121;max-width:1000px}
table{border-collapse:collapse;margin:6px 0 14px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.badge{padding:1px 8px;border-radius:9px;color:#fff;font-size:12px}
.passed{background:#2e7d32}.failed{background:#c62828}.vacuous{background:#6a1b9a}.skipped{background:#757575}
.ok{color:#2e7d32}.ko{color:#c62828;font-weight:bold}.muted{color:#757575}.failures{color:#c62828}
.hypothesis{font-style:italic}section{border-top:2px solid #eee;margin-top:20px}
svg.timeline .l{font-size:11px;fill:#424242}svg.timeline .t{font-size:10px;fill:#757575}svg.timeline .grid{stroke:#eee}
</style></head><body>
<h1>Chaos run ${esc(journal.runId)}</h1>
<p>${esc(journal.startedAt)} · ${(journal.durationMs / 1000).toFixed(1)} s · profile ${esc(journal.options.profile)} · repeat ${journal.options.repeat} · seed ${journal.options.seed ?? 'random'} · system ${journal.system.mode}${journal.options.parallel ? ` ×${journal.options.parallel} side by side` : ''} (started in ${(journal.system.startupMs / 1000).toFixed(1)} s, Toxiproxy counters ${journal.system.proxyMetrics ? 'on' : 'off'})</p>
<p>${badge('passed')} ${summary.passed} ${badge('failed')} ${summary.failed} ${badge('vacuous')} ${summary.vacuous} ${badge('skipped')} ${summary.skipped}</p>
${table(
  ['scenario', 'status', 'time', 'first failure'],
  journal.runs.map((run, index) => [
    `<a href="#${anchors[index] ?? ''}">${esc(run.id)}${run.repeat > 1 ? ` #${run.repeat}` : ''}</a>`,
    badge(run.status),
    `${(run.durationMs / 1000).toFixed(1)} s`,
    esc(run.failures[0] ?? ''),
  ]),
)}
${
  journal.options.repeat > 1
    ? `<h3>Flake rate</h3>${table(
        ['scenario', 'runs', 'not passed', 'rate'],
        summary.flakeRates.map((f) => [
          esc(f.scenario),
          String(f.runs),
          String(f.notPassed),
          `${(f.rate * 100).toFixed(0)} %`,
        ]),
      )}`
    : ''
}
<p class="muted">Timeline: purple bars = faults in force; breaker bands green closed, red open, orange half-open; ticks blue = retry, red = short-circuit, orange = bulkhead rejection; dots = responses by start time and latency (green 201/200, teal 202, orange 4xx, red 503, black no answer).</p>
${journal.runs.map((run, index) => section(run, anchors[index] ?? '')).join('\n')}
</body></html>
`;
}
