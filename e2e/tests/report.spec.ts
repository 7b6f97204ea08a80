import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from '@playwright/test';
import { buildReport, DEFAULT_REPORTS_DIR } from '@harness/ci/report';
import { expect, test } from '../src/fixtures.ts';
import { writeReportFixture } from '../src/reportFixture.ts';

/** Every `href` of the page that does not resolve to a file next to the report. */
async function brokenLinks(page: Page, reportsDir: string): Promise<string[]> {
  const broken: string[] = [];
  for (const anchor of await page.locator('a[href]').all()) {
    const href = (await anchor.getAttribute('href')) ?? '';
    const target = path.join(reportsDir, decodeURIComponent(href.split('#')[0] ?? ''));
    if (/^[a-z]+:/i.test(href) || !fs.existsSync(target) || !fs.statSync(target).isFile()) broken.push(href);
  }
  return broken;
}

const linkRow = (page: Page, id: string) => page.locator(`#link-matrix tr[data-link="${id}"]`);
const cellOf = (page: Page, id: string, column: 'contract' | 'chaos') =>
  linkRow(page, id).locator(`td[data-column="${column}"]`);

test('the combined report shows each stage, the link matrix L1–L12, and stages without results as not run', async ({
  page,
}) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-report-'));
  try {
    writeReportFixture(dir);
    const { file } = buildReport({ reportsDir: dir, now: new Date('2026-01-02T03:04:05Z') });
    await page.goto(pathToFileURL(file).href);

    await expect(page.getByRole('heading', { name: 'Harness report' })).toBeVisible();
    await expect(page.locator('#stages tr[data-stage="tests"] td[data-status]')).toHaveAttribute(
      'data-status',
      'passed',
    );
    await expect(page.locator('#stages tr[data-stage="contracts"] td[data-status]')).toHaveAttribute(
      'data-status',
      'failed',
    );
    await expect(page.locator('#stages tr[data-stage="chaos"] td[data-status]')).toHaveAttribute(
      'data-status',
      'failed',
    );
    await expect(page.locator('#stages tr[data-stage="load"] td[data-status]')).toHaveAttribute(
      'data-status',
      'passed',
    );
    await expect(page.locator('#stages tr[data-stage="e2e"] td[data-status]')).toHaveAttribute(
      'data-status',
      'not run',
    );
    await expect(page.locator('#stages tr[data-stage="bench"] td[data-status]')).toHaveAttribute(
      'data-status',
      'not run',
    );
    await expect(page.locator('#stages tr[data-stage="explore"] td[data-status]')).toHaveAttribute(
      'data-status',
      'not run',
    );
    await expect(page.locator('#stages tr[data-stage="mutate"] td[data-status]')).toHaveAttribute(
      'data-status',
      'not run',
    );

    await expect(page.locator('#link-matrix tbody tr')).toHaveCount(12);
    // The notification events into the gateway's read model (L12) are a message link of their own.
    await expect(linkRow(page, 'L12')).toContainText('NotificationSent');
    // The GraphQL link has a Pact pair of its own and its own chaos journals.
    await expect(linkRow(page, 'L10')).toContainText('GraphQL contracts/graphql/gateway.graphql');
    await expect(cellOf(page, 'L10', 'contract')).toHaveAttribute('data-status', 'passed');
    await expect(cellOf(page, 'L10', 'chaos')).toHaveAttribute('data-status', 'passed');
    // The gRPC link has no Pact pair: its contract cell is not run.
    await expect(cellOf(page, 'L11', 'contract')).toHaveAttribute('data-status', 'not run');
    await expect(cellOf(page, 'L5', 'contract')).toHaveAttribute('data-status', 'failed');
    await expect(cellOf(page, 'L5', 'contract')).toContainText('POST /charges answered 500');
    await expect(cellOf(page, 'L1', 'contract')).toHaveAttribute('data-status', 'passed');
    await expect(cellOf(page, 'L5', 'chaos')).toHaveAttribute('data-status', 'passed');
    await expect(cellOf(page, 'L5', 'chaos').getByRole('link')).toHaveAttribute(
      'href',
      'chaos/payment-latency/journal.html',
    );
    await expect(cellOf(page, 'L6', 'chaos')).toHaveAttribute('data-status', 'failed');
    await expect(cellOf(page, 'L7', 'chaos')).toHaveAttribute('data-status', 'failed');
    await expect(cellOf(page, 'L8', 'chaos')).toHaveAttribute('data-status', 'not run');
    await expect(page.locator('#junit tbody tr')).toHaveCount(3);

    expect(await brokenLinks(page, dir)).toEqual([]);
    // A link opens its stage's file.
    await page.getByRole('link', { name: 'smoke report' }).click();
    await expect(page.getByRole('heading', { name: 'smoke' })).toBeVisible();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the repository's reports/index.html renders and every link in it resolves", async ({ page }) => {
  const { file } = buildReport({ reportsDir: DEFAULT_REPORTS_DIR });
  await page.goto(pathToFileURL(file).href);
  await expect(page.getByRole('heading', { name: 'Harness report' })).toBeVisible();
  // tests, contracts, chaos, load, e2e, explore, mutate, bench
  await expect(page.locator('#stages tbody tr')).toHaveCount(8);
  await expect(page.locator('#link-matrix tbody tr')).toHaveCount(12);
  for (const id of ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L11', 'L12'])
    await expect(linkRow(page, id)).toHaveCount(1);
  expect(await brokenLinks(page, DEFAULT_REPORTS_DIR)).toEqual([]);
});

test('the combined report draws the resilience coverage matrix and the mutation score', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-report-coverage-'));
  try {
    writeReportFixture(dir);
    const explore = path.join(dir, 'systems', 'reference-shop', 'explore');
    fs.mkdirSync(explore, { recursive: true });
    fs.writeFileSync(
      path.join(explore, 'matrix.json'),
      JSON.stringify({
        system: 'reference-shop',
        rows: ['L5', 'order'],
        classes: ['latency', 'killed'],
        cells: [
          { row: 'L5', fault: 'latency', verdict: 'survived', failed: [] },
          {
            row: 'order',
            fault: 'killed',
            verdict: 'violated',
            failed: ['invariant orders-terminal: 1 order PENDING'],
          },
        ],
        pairs: [],
        pairsPruned: 0,
        durationMs: 16_000,
        summary: { survived: 1, violated: 1, vacuous: 0, error: 0 },
      }),
    );
    fs.writeFileSync(path.join(explore, 'matrix.html'), '<!doctype html><title>matrix</title><h1>matrix</h1>');
    fs.mkdirSync(path.join(dir, 'mutate'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'mutate', 'score.json'),
      JSON.stringify({
        system: 'reference-shop',
        stage: 'chaos',
        killed: 1,
        total: 1,
        mutants: [{ name: 'breaker-off', killed: true, by: ['payment-latency-opens-breaker: opens'] }],
      }),
    );
    const { file } = buildReport({ reportsDir: dir, now: new Date('2026-01-02T03:04:05Z') });
    await page.goto(pathToFileURL(file).href);
    await expect(page.getByRole('heading', { name: 'Resilience coverage and mutation score' })).toBeVisible();
    const grid = page.locator('table.coverage[data-system="reference-shop"]');
    await expect(grid.locator('td.cov')).toHaveCount(2);
    await expect(grid.locator('td.cov', { hasText: 'violated' })).toHaveAttribute(
      'title',
      'invariant orders-terminal: 1 order PENDING',
    );
    await expect(page.locator('#stages tr[data-stage="explore"] td[data-status]')).toHaveAttribute(
      'data-status',
      'failed',
    );
    await expect(page.locator('table.mutation tr', { hasText: 'breaker-off' })).toContainText('killed');
    expect(await brokenLinks(page, dir)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
