import type { LinkId } from '@harness/runtime';
import { describe, expect, it } from 'vitest';
import type { BreakingGateResult } from '../src/breaking/breakingGate.ts';
import { checkResult } from '../src/checks/checkResult.ts';
import { pactLinks } from '../src/links.ts';
import { buildLinkMatrix, type MatrixInputs } from '../src/matrix/linkMatrix.ts';
import { linkMatrixHtml } from '../src/matrix/matrixHtml.ts';
import type { ProviderVerification } from '../src/verify/verificationReport.ts';

const links = pactLinks();
const gate: BreakingGateResult = {
  ok: true,
  base: { kind: 'ref', ref: 'merge-base(HEAD, main)', sha: 'a'.repeat(40), how: 'merge base' },
  comparisons: [
    ...['gateway', 'order', 'inventory', 'payment', 'notification'].map((spec) => ({
      kind: 'openapi' as const,
      spec,
      status: 'compatible' as const,
      changes: [],
    })),
    { kind: 'asyncapi', spec: 'order-events', status: 'compatible', changes: [] },
    { kind: 'graphql', spec: 'gateway', status: 'compatible', changes: [] },
    { kind: 'asyncapi', spec: 'notification-events', status: 'compatible', changes: [] },
  ],
};

function greenInputs(): MatrixInputs {
  const verifications = new Map<string, ProviderVerification>();
  for (const link of links) {
    const report = verifications.get(link.provider) ?? {
      provider: link.provider,
      source: 'files',
      ok: true,
      problems: [],
      interactions: [],
      links: {},
      durationMs: 1,
    };
    report.links[link.id] = { ok: true, verified: 2, expected: 2, problems: [] };
    verifications.set(link.provider, report);
  }
  return {
    links,
    consumerTests: new Map(links.map((link) => [link.id, { ok: true, detail: '2 consumer tests passed' }])),
    pactFiles: new Map(links.map((link) => [link.id, { interactions: 2 }])),
    conformance: new Map(links.map((link) => [link.id, checkResult(2, [])])),
    verifications,
    gate,
  };
}

const cell = (
  inputs: MatrixInputs,
  id: LinkId,
  column: keyof ReturnType<typeof buildLinkMatrix>['rows'][number]['cells'],
) => buildLinkMatrix(inputs).rows.find((row) => row.id === id)!.cells[column];

describe('link matrix', () => {
  it('is green when every link passes every check', () => {
    const matrix = buildLinkMatrix(greenInputs());
    expect(matrix.ok).toBe(true);
    expect(matrix.rows).toHaveLength(11);
  });

  it('turns a link red when its consumer test failed or its pact is missing', () => {
    const inputs = greenInputs();
    (inputs.consumerTests as Map<LinkId, { ok: boolean; detail: string }>).set('L2', {
      ok: false,
      detail: 'consumer test failed: x',
    });
    (inputs.pactFiles as Map<LinkId, unknown>).set('L3', { error: 'pact file is missing' });
    expect(cell(inputs, 'L2', 'consumerPact')).toEqual({ status: 'fail', detail: 'consumer test failed: x' });
    expect(cell(inputs, 'L3', 'consumerPact')).toEqual({ status: 'fail', detail: 'pact file is missing' });
    expect(buildLinkMatrix(inputs).ok).toBe(false);
  });

  it('turns a link red when its provider was not verified for it', () => {
    const inputs = greenInputs();
    (inputs.verifications as Map<string, ProviderVerification | undefined>).set('payment', undefined);
    inputs.verifications.get('inventory')!.links.L4 = {
      ok: false,
      verified: 1,
      expected: 2,
      problems: ['failed: reserveStock: x'],
    };
    expect(cell(inputs, 'L5', 'providerVerified')).toEqual({ status: 'fail', detail: 'payment was not verified' });
    expect(cell(inputs, 'L4', 'providerVerified')).toEqual({ status: 'fail', detail: 'failed: reserveStock: x' });
  });

  it('turns a link red when its pact does not match its spec', () => {
    const inputs = greenInputs();
    (inputs.conformance as Map<LinkId, ReturnType<typeof checkResult>>).set(
      'L6',
      checkResult(1, [{ interaction: 'OrderConfirmed: x', message: 'payload bad' }]),
    );
    expect(cell(inputs, 'L6', 'specConformant')).toEqual({
      status: 'fail',
      detail: '"OrderConfirmed: x": payload bad',
    });
  });

  it('turns every link of a spec red on an unversioned breaking change, and only those', () => {
    const inputs = {
      ...greenInputs(),
      gate: {
        ...gate,
        ok: false,
        comparisons: gate.comparisons.map((c) =>
          c.spec === 'inventory'
            ? {
                ...c,
                status: 'breaking' as const,
                changes: [{ level: 'breaking' as const, id: 'x', text: 'api path removed' }],
              }
            : c,
        ),
      },
    };
    const matrix = buildLinkMatrix(inputs);
    const red = matrix.rows
      .filter((row) => row.cells.noUnversionedBreakingChange.status === 'fail')
      .map((row) => row.id);
    expect(red).toEqual(['L3', 'L4']);
  });

  it("turns L10 red when the gateway's GraphQL SDL changed in a breaking way, and not L1's REST", () => {
    const removed = {
      kind: 'graphql' as const,
      spec: 'gateway',
      status: 'breaking' as const,
      changes: [{ level: 'breaking' as const, id: 'graphql:FIELD_REMOVED', text: "Field 'lagSeconds' was removed" }],
    };
    const withSdl = (status: 'breaking' | 'compatible') => ({
      ...gate,
      ok: status !== 'breaking',
      comparisons: [...gate.comparisons.filter((c) => c.kind !== 'graphql'), { ...removed, status }],
    });
    const inputs = { ...greenInputs(), gate: withSdl('breaking') };
    const matrix = buildLinkMatrix(inputs);
    expect(matrix.ok).toBe(false);
    expect(matrix.rows.filter((row) => !row.ok).map((row) => row.id)).toEqual(['L10']);
    expect(cell(inputs, 'L10', 'noUnversionedBreakingChange')).toEqual({
      status: 'fail',
      detail: "Field 'lagSeconds' was removed",
    });
    expect(cell({ ...greenInputs(), gate: withSdl('compatible') }, 'L10', 'noUnversionedBreakingChange')).toEqual({
      status: 'pass',
      detail: 'compatible with the base',
    });
  });

  it('passes the breaking-change cell with a reason when there is no base', () => {
    const inputs = {
      ...greenInputs(),
      gate: { ok: true, base: { kind: 'none' as const, reason: 'no history' }, comparisons: [] },
    };
    expect(cell(inputs, 'L1', 'noUnversionedBreakingChange')).toEqual({
      status: 'pass',
      detail: 'no base to compare with (no history)',
    });
  });

  it('renders an HTML fragment with every cell, escaping details', () => {
    const inputs = greenInputs();
    (inputs.consumerTests as Map<LinkId, { ok: boolean; detail: string }>).set('L1', {
      ok: false,
      detail: '<script>alert(1)</script>',
    });
    const html = linkMatrixHtml(buildLinkMatrix(inputs));
    expect(html).toMatch(/^<section id="contract-link-matrix"/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html.match(/<tr class="row-/g)).toHaveLength(11);
    expect(html).toContain('order ⇒ notification');
  });
});
