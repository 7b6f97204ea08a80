import fs from 'node:fs';
import path from 'node:path';
import type { LinkId } from '@harness/runtime';
import { compareContracts, gateResult } from '../../src/breaking/breakingGate.ts';
import { checkAllLinks } from '../../src/checks/linkConformance.ts';
import { repoLayout } from '../../src/layout.ts';
import { pactFilePath, pactLinks } from '../../src/links.ts';
import { buildLinkMatrix, type LinkMatrix, type MatrixRow } from '../../src/matrix/linkMatrix.ts';
import { readPactFile } from '../../src/pacts/pactFile.ts';
import type { ProviderVerification } from '../../src/verify/verificationReport.ts';
import type { ScratchContracts } from './scratchContracts.ts';

/**
 * The stage's checks on a scratch copy: pacts vs specs, the breaking-change gate with the
 * repository's contracts as the base, and the link matrix. Consumer tests count as passed (the
 * scratch pacts are what they would have written); provider verification counts as passed unless
 * a drift test ran it and passes its report.
 */
export async function stageOnScratch(
  scratch: ScratchContracts,
  verifications: ReadonlyMap<string, ProviderVerification> = new Map(),
): Promise<LinkMatrix> {
  const links = pactLinks();
  const conformance = await checkAllLinks(links, scratch.layout);
  const gate = gateResult(
    { kind: 'ref', ref: 'the repository contracts', sha: 'working-tree', how: 'drift test' },
    await compareContracts(repoLayout.contractsDir, scratch.layout),
  );
  const pactFiles = new Map<LinkId, { interactions: number } | { error: string }>(
    links.map((link) => {
      const file = pactFilePath(scratch.layout, link);
      return [
        link.id,
        fs.existsSync(file)
          ? { interactions: readPactFile(file).interactions.length }
          : { error: `no ${path.basename(file)}` },
      ];
    }),
  );
  const allVerified = new Map<string, ProviderVerification>();
  for (const link of links) {
    const report = verifications.get(link.provider) ??
      allVerified.get(link.provider) ?? {
        provider: link.provider,
        source: 'files' as const,
        ok: true,
        problems: [],
        interactions: [],
        links: {},
        durationMs: 0,
      };
    if (!verifications.has(link.provider)) report.links[link.id] = { ok: true, verified: 1, expected: 1, problems: [] };
    allVerified.set(link.provider, report);
  }
  return buildLinkMatrix({
    links,
    consumerTests: new Map(links.map((link) => [link.id, { ok: true, detail: 'assumed passed' }])),
    pactFiles,
    conformance,
    verifications: allVerified,
    gate,
  });
}

/** The red cells of a matrix as `<link> <column>` strings. */
export function redCells(matrix: LinkMatrix): string[] {
  return matrix.rows.flatMap((row: MatrixRow) =>
    Object.entries(row.cells)
      .filter(([, cell]) => cell.status === 'fail')
      .map(([column]) => `${row.id} ${column}`),
  );
}
