import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, type LinkId } from '@harness/runtime';
import {
  breakingReportText,
  brokerConfigFrom,
  buildLinkMatrix,
  checkAllLinks,
  contractReportsDir,
  formatIssue,
  interactionsOfKind,
  linkMatrixHtml,
  linkMatrixText,
  pacticipantVersion,
  pactFilePath,
  pactLink,
  pactLinks,
  providersOf,
  publishPacts,
  readPactFile,
  readVerificationReport,
  repoLayout,
  runBreakingGate,
  verificationReportFile,
  type PactLink,
} from '@harness/pact';
import { CliError, dim, green, parseOptions, red, yellow } from '../output.ts';
import { startClock } from './stageClock.ts';
import { runContractTests } from './vitestContractRun.ts';

/** JUnit XML of the consumer tests and provider verifications (for `harness test`'s counts). */
export const CONTRACTS_JUNIT = path.join(REPO_ROOT, 'reports', 'junit', 'contracts.xml');

export const CONTRACTS_USAGE = 'harness contracts [--link L2[,L5]] [--base <git ref>]';

/**
 * The contract stage: consumer tests (they write contracts/pacts), provider verification (one
 * Verifier run per provider), pacts checked against OpenAPI/AsyncAPI, the breaking-change gate
 * against a base ref, and the link matrix (reports/contracts/link-matrix.{json,html}).
 * Exit code 1 when any cell of any selected link is red.
 */
export async function runContractStage(args: string[]): Promise<number> {
  const { values } = parseOptions(args, { link: { type: 'string' }, base: { type: 'string' } }, CONTRACTS_USAGE);
  let links: PactLink[];
  try {
    links = values.link ? [...new Set(values.link.split(',').map((id) => pactLink(id.trim())))] : pactLinks();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
  const allLinks = values.link === undefined;
  const clock = startClock();
  const reportDir = contractReportsDir;
  fs.mkdirSync(reportDir, { recursive: true });
  for (const provider of providersOf(links)) fs.rmSync(verificationReportFile(reportDir, provider), { force: true });

  // The gate reads only git and the specs: it runs while the tests run.
  const base = values.base ?? process.env['HARNESS_CONTRACTS_BASE'];
  const gate = clock.step('breaking-change gate', () =>
    runBreakingGate({ repo: REPO_ROOT, layout: repoLayout, ...(base ? { base } : {}) }),
  );
  console.log(
    `=== contracts: ${links.map((link) => link.id).join(', ')}: consumer tests and provider verification side by side`,
  );
  // The pacts are checked against the specs as soon as the consumer tests have written them,
  // beside the provider verifications.
  let conformance: Awaited<ReturnType<typeof checkAllLinks>> | undefined;
  const tests = await clock.step('consumer tests + provider verification', () =>
    runContractTests({
      repoRoot: REPO_ROOT,
      links,
      allLinks,
      reportFile: path.join(reportDir, 'vitest.json'),
      junitFile: CONTRACTS_JUNIT,
      afterConsumers: async () => {
        conformance = await clock.step('pacts vs specs (beside verification)', () => checkAllLinks(links, repoLayout));
      },
    }),
  );
  await publishWhenAsked(links, tests.consumers);
  conformance ??= await clock.step('pacts vs specs', () => checkAllLinks(links, repoLayout));
  const gateResult = await gate;
  fs.writeFileSync(path.join(reportDir, 'breaking-changes.txt'), breakingReportText(gateResult));
  fs.writeFileSync(path.join(reportDir, 'breaking-changes.json'), `${JSON.stringify(gateResult, null, 2)}\n`);

  const pactFiles = new Map<LinkId, { interactions: number } | { error: string }>();
  for (const link of links) {
    try {
      const pact = readPactFile(pactFilePath(repoLayout, link));
      pactFiles.set(link.id, { interactions: interactionsOfKind(pact, link.kind).length });
    } catch (error) {
      pactFiles.set(link.id, { error: error instanceof Error ? error.message : String(error) });
    }
  }
  const verifications = new Map(
    providersOf(links).map((provider) => [provider, readVerificationReport(reportDir, provider)]),
  );
  const matrix = buildLinkMatrix({
    links,
    consumerTests: tests.consumers,
    pactFiles,
    conformance,
    verifications,
    gate: gateResult,
  });
  fs.writeFileSync(path.join(reportDir, 'link-matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  fs.writeFileSync(path.join(reportDir, 'link-matrix.html'), linkMatrixHtml(matrix));

  console.log(`\n${breakingReportText(gateResult).trimEnd()}`);
  for (const [id, result] of conformance) {
    for (const issue of result.issues) console.log(red(`  ${id} pact vs spec: ${formatIssue(issue)}`));
    for (const note of result.notes) console.log(yellow(`  ${id} note: ${note}`));
  }
  console.log(`\n${linkMatrixText(matrix, { green, red })}`);
  console.log(
    dim(
      `\nreports: ${path.relative(REPO_ROOT, reportDir)}/{link-matrix.json,link-matrix.html,breaking-changes.txt,verification/}`,
    ),
  );
  console.log('timing:');
  for (const step of clock.steps) console.log(`  ${step.name.padEnd(40)} ${step.seconds.toFixed(1)} s`);
  console.log(`  ${'total'.padEnd(40)} ${clock.totalSeconds().toFixed(1)} s`);
  const testsFailed = tests.exitCode !== 0;
  if (testsFailed) console.log(red(`the contract tests exited ${tests.exitCode}`));
  console.log(
    matrix.ok && !testsFailed ? green('contracts: every link is green') : red('contracts: FAILED (red cells above)'),
  );
  return matrix.ok && !testsFailed ? 0 : 1;
}

/** With PACT_BROKER_BASE_URL and PACT_PUBLISH_PACTS=true, publishes the pacts whose consumer tests passed. */
async function publishWhenAsked(links: readonly PactLink[], consumers: Map<LinkId, { ok: boolean }>): Promise<void> {
  const broker = brokerConfigFrom();
  if (!broker?.publishPacts) return;
  const files = links.filter((link) => consumers.get(link.id)?.ok).map((link) => pactFilePath(repoLayout, link));
  const results = await publishPacts(broker, files, pacticipantVersion(REPO_ROOT));
  for (const result of results) {
    const line = `  publish ${path.basename(result.file)}: ${result.detail}`;
    console.log(result.ok ? line : red(line));
  }
}
