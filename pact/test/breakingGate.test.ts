import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBaseRef } from '../src/breaking/baseRef.ts';
import { breakingReportText } from '../src/breaking/breakingReport.ts';
import { runBreakingGate } from '../src/breaking/runBreakingGate.ts';
import { layoutAt, repoLayout } from '../src/layout.ts';

const repos: string[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) fs.rmSync(repo, { recursive: true, force: true });
});

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** A git repository with a copy of the contracts committed on `branch`. */
function repoWithContracts(branch: string): { repo: string; contracts: string } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-gate-'));
  repos.push(repo);
  git(repo, 'init', '-q', '-b', branch);
  const contracts = path.join(repo, 'contracts');
  for (const part of ['openapi', 'asyncapi', 'graphql', 'proto', 'generated']) {
    fs.cpSync(path.join(repoLayout.contractsDir, part), path.join(contracts, part), { recursive: true });
  }
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'contracts');
  return { repo, contracts };
}

function removeGetOrder(contracts: string, version?: string): void {
  const file = path.join(contracts, 'generated', 'openapi', 'order.bundled.json');
  const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    paths: Record<string, unknown>;
    info: { version: string };
  };
  delete spec.paths['/orders/{orderId}'];
  if (version) spec.info.version = version;
  fs.writeFileSync(file, JSON.stringify(spec));
}

function editProto(contracts: string, search: string, replacement: string): void {
  const file = path.join(contracts, 'proto', 'harness', 'inventory', 'v1', 'stock_levels.proto');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(search)) throw new Error(`stock_levels.proto has no ${JSON.stringify(search)}`);
  fs.writeFileSync(file, source.replace(search, replacement));
}

describe('breaking-change gate', () => {
  it('passes when the specs did not change', async () => {
    const { repo, contracts } = repoWithContracts('main');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.base).toMatchObject({
      kind: 'ref',
      ref: 'HEAD',
      how: 'on main, its first commit: uncommitted changes',
    });
    expect(result.ok).toBe(true);
    expect(result.comparisons.map((comparison) => comparison.status)).toEqual(Array(9).fill('compatible'));
    expect(result.comparisons.map((comparison) => comparison.kind)).toEqual(
      expect.arrayContaining(['proto', 'graphql']),
    );
  });

  it('fails an operation removed without a major version bump, and says which', async () => {
    const { repo, contracts } = repoWithContracts('main');
    removeGetOrder(contracts);
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.ok).toBe(false);
    const order = result.comparisons.find((comparison) => comparison.spec === 'order');
    expect(order?.status).toBe('breaking');
    expect(order?.changes).toContainEqual(
      expect.objectContaining({ level: 'breaking', where: 'GET /orders/{orderId}' }),
    );
    expect(breakingReportText(result)).toMatch(
      /openapi order (\d+\.\d+\.\d+) -> \1: FAILED: breaking change without a major version bump/,
    );
  });

  it('allows the removal when the major version is bumped', async () => {
    const { repo, contracts } = repoWithContracts('main');
    removeGetOrder(contracts, '2.0.0');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.ok).toBe(true);
    expect(result.comparisons.find((comparison) => comparison.spec === 'order')?.status).toBe('versioned');
  });

  it('fails a field removed from the GraphQL SDL, naming the field, and passes an added one', async () => {
    const { repo, contracts } = repoWithContracts('main');
    const sdl = path.join(contracts, 'graphql', 'gateway.graphql');
    const original = fs.readFileSync(sdl, 'utf8');
    const removed = original.replace(
      /\n\s*"With source READ_MODEL, the read model's lag in seconds."\n\s*lagSeconds: Float/,
      '',
    );
    expect(removed).not.toBe(original);
    fs.writeFileSync(sdl, removed);
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.ok).toBe(false);
    const gateway = result.comparisons.find((comparison) => comparison.kind === 'graphql');
    expect(gateway).toMatchObject({ spec: 'gateway', status: 'breaking' });
    expect(gateway?.changes).toContainEqual(
      expect.objectContaining({ level: 'breaking', id: 'graphql:FIELD_REMOVED', where: 'OrderView.lagSeconds' }),
    );
    expect(breakingReportText(result)).toMatch(/graphql gateway: FAILED: breaking change without a major version bump/);

    fs.writeFileSync(
      sdl,
      original.replace('  lagSeconds: Float\n', '  lagSeconds: Float\n  "Added."\n  readAt: String\n'),
    );
    const added = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(added.ok).toBe(true);
    expect(added.comparisons.find((comparison) => comparison.kind === 'graphql')?.status).toBe('compatible');
  });

  it('sees a problem extended with allOf as an added optional member, not as removed required ones', async () => {
    const { repo, contracts } = repoWithContracts('main');
    const file = path.join(contracts, 'generated', 'openapi', 'order.bundled.json');
    const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    spec.paths['/orders']!.post!.responses['503'] = {
      description: 'A dependency is unavailable.',
      content: {
        'application/problem+json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/Problem' },
              { type: 'object', properties: { orderId: { type: 'string' } } },
            ],
          },
        },
      },
    };
    fs.writeFileSync(file, JSON.stringify(spec));
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    const order = result.comparisons.find((comparison) => comparison.spec === 'order');
    expect(order?.status).toBe('compatible');
    expect(order?.changes.filter((change) => change.level !== 'info')).toEqual([]);
  });

  it('on main, fails a breaking change already committed there, comparing with the previous commit', async () => {
    const { repo, contracts } = repoWithContracts('main');
    removeGetOrder(contracts);
    git(repo, 'commit', '-q', '-am', 'drop GET /orders/{orderId}');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.base).toMatchObject({
      kind: 'ref',
      ref: 'HEAD~1',
      how: 'on main: the previous commit (no release tag)',
    });
    expect(result.ok).toBe(false);
    expect(result.comparisons.find((comparison) => comparison.spec === 'order')?.status).toBe('breaking');
    expect(breakingReportText(result)).toContain('(on main: the previous commit (no release tag))');
  });

  it('on main, compares with the previous release tag when there is one', async () => {
    const { repo, contracts } = repoWithContracts('main');
    git(repo, 'tag', 'v1.0.0');
    removeGetOrder(contracts);
    git(repo, 'commit', '-q', '-am', 'drop GET /orders/{orderId}');
    fs.writeFileSync(path.join(repo, 'README'), 'later');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'a later commit that touches no spec');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.base).toMatchObject({
      kind: 'ref',
      ref: 'v1.0.0',
      how: 'on main: the previous release (tag v1.0.0)',
    });
    expect(result.ok).toBe(false);
  });

  it('on a branch with commits of its own, compares with the merge base with main', async () => {
    const { repo, contracts } = repoWithContracts('main');
    git(repo, 'checkout', '-q', '-b', 'feature');
    removeGetOrder(contracts);
    git(repo, 'commit', '-q', '-am', 'drop GET /orders/{orderId}');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.base).toMatchObject({ kind: 'ref', ref: 'merge-base(HEAD, main)', how: 'merge base' });
    expect(result.ok).toBe(false);
  });

  it('compares with the previous commit when there is no main branch', async () => {
    const { repo } = repoWithContracts('feature');
    fs.writeFileSync(path.join(repo, 'README'), 'x');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'second');
    expect(await resolveBaseRef(repo)).toMatchObject({ kind: 'ref', ref: 'HEAD~1' });
  });

  it('says clearly when there is nothing to compare with, and passes', async () => {
    const { repo, contracts } = repoWithContracts('feature');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result).toMatchObject({
      ok: true,
      base: { kind: 'none', reason: expect.stringMatching(/no main branch and HEAD has no parent/) },
    });
    expect(breakingReportText(result)).toMatch(/no base to compare with/);
  });

  it("fails a proto field removed or a gRPC method renamed, naming buf's rule and the file", async () => {
    const { repo, contracts } = repoWithContracts('main');
    editProto(contracts, '  int32 available = 2;\n', '');
    editProto(contracts, 'rpc GetStockLevels(', 'rpc FetchStockLevels(');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.ok).toBe(false);
    const proto = result.comparisons.find((comparison) => comparison.kind === 'proto');
    expect(proto?.status).toBe('breaking');
    const ids = proto?.changes.map((change) => change.id) ?? [];
    expect(ids).toContain('buf:FIELD_NO_DELETE');
    expect(ids).toContain('buf:RPC_NO_DELETE');
    expect(proto?.changes[0]?.where).toMatch(/^harness\/inventory\/v1\/stock_levels\.proto:\d+$/);
    expect(breakingReportText(result)).toContain('proto proto: FAILED: breaking change without a major version bump');
  });

  it('passes a proto field added', async () => {
    const { repo, contracts } = repoWithContracts('main');
    editProto(contracts, '  int32 available = 2;\n', '  int32 available = 2;\n  int32 reserved = 3;\n');
    const result = await runBreakingGate({ repo, layout: layoutAt(contracts) });
    expect(result.comparisons.find((comparison) => comparison.kind === 'proto')?.status).toBe('compatible');
    expect(result.ok).toBe(true);
  });

  it('rejects a base ref that names no commit', async () => {
    const { repo } = repoWithContracts('main');
    expect(await resolveBaseRef(repo, 'no-such-ref')).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/does not name a commit/),
    });
  });
});
