import fs from 'node:fs';
import path from 'node:path';
import type { LinkId, ServiceName } from '@harness/runtime';

export interface VerifiedInteraction {
  consumer: string;
  description: string;
  ok: boolean;
  pending: boolean;
}

export interface LinkVerification {
  ok: boolean;
  /** Interactions of the link's pact that the provider passed. */
  verified: number;
  /** Interactions in the link's pact (files mode; undefined when pacts come from a broker). */
  expected: number | undefined;
  problems: string[];
}

/** What one provider verification run found, per link; read by the link matrix. */
export interface ProviderVerification {
  provider: ServiceName;
  source: 'files' | 'broker';
  ok: boolean;
  problems: string[];
  interactions: VerifiedInteraction[];
  links: Partial<Record<LinkId, LinkVerification>>;
  durationMs: number;
}

export const verificationReportFile = (reportDir: string, provider: string): string =>
  path.join(reportDir, 'verification', `${provider}.json`);

export function writeVerificationReport(reportDir: string, report: ProviderVerification): void {
  const file = verificationReportFile(reportDir, report.provider);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export function readVerificationReport(reportDir: string, provider: string): ProviderVerification | undefined {
  try {
    return JSON.parse(fs.readFileSync(verificationReportFile(reportDir, provider), 'utf8')) as ProviderVerification;
  } catch {
    return undefined;
  }
}

/** A readable failure message for the test that ran the verification. */
export function describeVerification(report: ProviderVerification): string {
  const lines = [`provider ${report.provider}: ${report.ok ? 'verified' : 'FAILED'}`];
  for (const problem of report.problems) lines.push(`  - ${problem}`);
  for (const [id, link] of Object.entries(report.links)) {
    if (!link) continue;
    lines.push(`  ${id}: ${link.ok ? 'ok' : 'FAILED'} (${link.verified}/${link.expected ?? '?'} interactions)`);
    for (const problem of link.problems) lines.push(`    - ${problem}`);
  }
  return lines.join('\n');
}
