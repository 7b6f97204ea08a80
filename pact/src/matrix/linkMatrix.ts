import type { LinkId } from '@harness/runtime';
import type { BreakingGateResult } from '../breaking/breakingGate.ts';
import { failsGate } from '../breaking/specChange.ts';
import { formatIssue, type CheckResult } from '../checks/checkResult.ts';
import type { PactLink } from '../links.ts';
import type { ProviderVerification } from '../verify/verificationReport.ts';

type CellStatus = 'pass' | 'fail';

interface MatrixCell {
  status: CellStatus;
  detail: string;
}

export const MATRIX_COLUMNS = [
  'consumerPact',
  'providerVerified',
  'specConformant',
  'noUnversionedBreakingChange',
] as const;
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

export const COLUMN_TITLES: Record<MatrixColumn, string> = {
  consumerPact: 'consumer pact',
  providerVerified: 'provider verified',
  specConformant: 'pact matches spec',
  noUnversionedBreakingChange: 'no unversioned breaking change',
};

export interface MatrixRow {
  id: LinkId;
  kind: PactLink['kind'];
  consumer: string;
  provider: string;
  spec: string;
  cells: Record<MatrixColumn, MatrixCell>;
  ok: boolean;
}

export interface LinkMatrix {
  generatedAt: string;
  base: string;
  rows: MatrixRow[];
  ok: boolean;
}

/** What the stage found, per link, before it is laid out as a matrix. */
export interface MatrixInputs {
  links: readonly PactLink[];
  /** Consumer test outcome per link (a missing entry: the consumer test did not run or failed to report). */
  consumerTests: ReadonlyMap<LinkId, { ok: boolean; detail: string }>;
  /** Pact file state per link: interactions found, or the reason it is unusable. */
  pactFiles: ReadonlyMap<LinkId, { interactions: number } | { error: string }>;
  conformance: ReadonlyMap<LinkId, CheckResult>;
  verifications: ReadonlyMap<string, ProviderVerification | undefined>;
  gate: BreakingGateResult;
}

const pass = (detail: string): MatrixCell => ({ status: 'pass', detail });
const fail = (detail: string): MatrixCell => ({ status: 'fail', detail });

/** The file-based "can-i-deploy" of this repository: every cell of every link must pass. */
export function buildLinkMatrix(inputs: MatrixInputs, now = new Date()): LinkMatrix {
  const rows = inputs.links.map((link): MatrixRow => {
    const cells: Record<MatrixColumn, MatrixCell> = {
      consumerPact: consumerCell(link, inputs),
      providerVerified: verificationCell(link, inputs),
      specConformant: conformanceCell(link, inputs),
      noUnversionedBreakingChange: breakingCell(link, inputs.gate),
    };
    return {
      id: link.id,
      kind: link.kind,
      consumer: link.consumer,
      provider: link.provider,
      spec: `${link.spec.kind} ${link.spec.name}`,
      cells,
      ok: MATRIX_COLUMNS.every((column) => cells[column].status === 'pass'),
    };
  });
  const base =
    inputs.gate.base.kind === 'ref'
      ? `${inputs.gate.base.ref} (${inputs.gate.base.sha.slice(0, 12)})`
      : `none: ${inputs.gate.base.reason}`;
  return { generatedAt: now.toISOString(), base, rows, ok: rows.every((row) => row.ok) };
}

function consumerCell(link: PactLink, inputs: MatrixInputs): MatrixCell {
  const file = inputs.pactFiles.get(link.id);
  if (!file) return fail('no pact file');
  if ('error' in file) return fail(file.error);
  if (file.interactions === 0) return fail('the pact has no interactions');
  const test = inputs.consumerTests.get(link.id);
  if (!test) return fail('the consumer test did not run');
  if (!test.ok) return fail(test.detail);
  return pass(`${file.interactions} interactions`);
}

function verificationCell(link: PactLink, inputs: MatrixInputs): MatrixCell {
  const report = inputs.verifications.get(link.provider);
  if (!report) return fail(`${link.provider} was not verified`);
  const result = report.links[link.id];
  if (!result) return fail(`${link.provider}'s verification did not cover ${link.id}`);
  if (!result.ok) return fail(result.problems.join('; ') || 'verification failed');
  return pass(`${result.verified}/${result.expected ?? result.verified} interactions verified`);
}

function conformanceCell(link: PactLink, inputs: MatrixInputs): MatrixCell {
  const result = inputs.conformance.get(link.id);
  if (!result) return fail('not checked');
  if (!result.ok) return fail(result.issues.map(formatIssue).join('; '));
  return pass(`${result.checked} interactions match ${link.spec.kind} ${link.spec.name}`);
}

/**
 * The link's spec against the base: an HTTP link's OpenAPI, a GraphQL link's SDL (compared by
 * @graphql-inspector), a message link's AsyncAPI.
 */
function breakingCell(link: PactLink, gate: BreakingGateResult): MatrixCell {
  if (gate.base.kind === 'none') return pass(`no base to compare with (${gate.base.reason})`);
  const comparison = gate.comparisons.find(
    (candidate) => candidate.kind === link.spec.kind && candidate.spec === link.spec.name,
  );
  if (!comparison) return fail(`${link.spec.kind} ${link.spec.name} was not compared`);
  if (failsGate(comparison)) {
    const breaking = comparison.changes.filter((change) => change.level === 'breaking').map((change) => change.text);
    return fail([comparison.message, ...breaking].filter(Boolean).join('; ') || comparison.status);
  }
  if (comparison.status === 'versioned')
    return pass(`breaking, major version bumped to ${comparison.headVersion ?? '?'}`);
  return pass(comparison.status === 'new' ? 'new spec' : 'compatible with the base');
}
