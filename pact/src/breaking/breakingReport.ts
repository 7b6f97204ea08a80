import type { BreakingGateResult } from './breakingGate.ts';
import type { SpecComparison } from './specChange.ts';

const VERDICT: Record<SpecComparison['status'], string> = {
  compatible: 'ok',
  versioned: 'ok (breaking, major version bumped)',
  breaking: 'FAILED: breaking change without a major version bump',
  new: 'new (nothing to compare)',
  removed: 'FAILED: spec removed',
  error: 'FAILED: could not compare',
};

/** The gate as readable text: one block per spec, breaking changes first. */
export function breakingReportText(result: BreakingGateResult): string {
  const lines: string[] = [];
  if (result.base.kind === 'none') {
    lines.push(`breaking-change gate: no base to compare with (${result.base.reason}); skipped`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`breaking-change gate: base ${result.base.ref} = ${result.base.sha.slice(0, 12)} (${result.base.how})`);
  for (const comparison of result.comparisons) {
    const versions =
      comparison.baseVersion || comparison.headVersion
        ? ` ${comparison.baseVersion ?? '?'} -> ${comparison.headVersion ?? '?'}`
        : '';
    lines.push('', `${comparison.kind} ${comparison.spec}${versions}: ${VERDICT[comparison.status]}`);
    if (comparison.message) lines.push(`  ${comparison.message}`);
    const ordered = [...comparison.changes].sort((a, b) => rank(a.level) - rank(b.level));
    for (const change of ordered) {
      lines.push(`  [${change.level}] ${change.where ? `${change.where}: ` : ''}${change.text}`);
    }
  }
  lines.push('', `verdict: ${result.ok ? 'ok' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}

const rank = (level: string): number => (level === 'breaking' ? 0 : level === 'warning' ? 1 : 2);
