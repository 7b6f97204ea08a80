import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, REPO_ROOT } from '@harness/runtime';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InfraDescription } from '@harness/runtime';
import { chooseCells, faultSpace, pathsOf, reducedPairs, type FaultCell } from '../src/explore/faultSpace.ts';
import { kitCellScenario, kitVerdictOf } from '../src/explore/kitCells.ts';
import { cellScenario, verdictOf } from '../src/explore/runExplore.ts';
import { TrafficSampler } from '../src/explore/trafficSampler.ts';
import { checkResponses } from '../src/expectations/responseExpectations.ts';
import { emptyRun } from '../src/runner/ScenarioRun.ts';
import { validateScenario } from '../src/scenario/validateScenario.ts';
import { loadKitDomain, useKitConfig } from '../src/system/kitSystem.ts';
import { checkScenario } from '../src/systems/index.ts';
import type { SystemScenarioOutcome } from '../src/systems/runSystemScenario.ts';

const pyShop = path.join(REPO_ROOT, 'examples', 'py-shop', 'harness.config.ts');

describe('the fault space of a config', () => {
  it('py-shop: seven faults on its HTTP link, each judged by the promise it tests; databases, broker, processes', async () => {
    const config = await loadConfig(pyShop);
    const cells = faultSpace(config);
    expect(cells.map((cell) => cell.id)).toEqual([
      'P1 latency',
      'P1 refused',
      'P1 reset',
      'P1 black-hole',
      'P1 slow-bandwidth',
      'P1 status-503',
      'P1 answer-cut',
      'orders db-refused',
      'orders db-slow',
      'orders broker-refused',
      'orders killed',
      'orders paused',
      'payments db-refused',
      'payments db-slow',
      'payments killed',
      'payments paused',
      'shipping db-refused',
      'shipping db-slow',
      'shipping broker-refused',
      'shipping killed',
      'shipping paused',
    ]);
    const byId = new Map(cells.map((cell) => [cell.id, cell]));
    expect(byId.get('P1 latency')?.oracles).toEqual(['timeout', 'breaker']);
    // Twice the promised timeout (1 s), so every call times out.
    expect(byId.get('P1 latency')?.spec).toMatchObject({ toxic: { type: 'latency', latencyMs: 2_000 } });
    expect(byId.get('P1 status-503')).toMatchObject({ oracles: ['breaker', 'retry'], spec: { kind: 'request' } });
    expect(byId.get('shipping killed')).toMatchObject({ oracles: [], spec: { kind: 'process', action: 'kill' } });
    expect(byId.get('shipping paused')).toMatchObject({ oracles: [], spec: { kind: 'process', action: 'pause' } });
  });

  it('a link without a promise gets no oracle; --only picks rows, classes or cells', async () => {
    const config = await loadConfig(pyShop);
    const bare = { ...config, resilience: {} };
    expect(
      faultSpace(bare)
        .filter((cell) => cell.row === 'P1')
        .every((cell) => cell.oracles.length === 0),
    ).toBe(true);
    const cells = faultSpace(config);
    expect(chooseCells(cells, ['P1']).map((c) => c.fault)).toHaveLength(7);
    expect(chooseCells(cells, ['killed']).map((c) => c.row)).toEqual(['orders', 'payments', 'shipping']);
    expect(chooseCells(cells, ['payments db-slow', 'reset']).map((c) => c.id)).toEqual([
      'P1 reset',
      'payments db-slow',
    ]);
    expect(chooseCells(cells, [], 3)).toHaveLength(3);
  });

  it('every cell is a scenario the config accepts, with the explore workload', async () => {
    const config = await loadConfig(pyShop);
    for (const cell of faultSpace(config)) {
      const scenario = cellScenario(config, cell);
      expect(checkScenario(scenario, config), cell.id).toEqual([]);
      expect(scenario.workload).toEqual(config.explore?.workload);
      expect(scenario.faults[0]).toMatchObject({ startMs: 500, stopMs: 4_500 });
      // The response rules: every 5xx carries Retry-After, for every stream of the workload.
      expect(scenario.expectations.responses).toEqual(
        config.explore?.workload?.map((stream) => ({
          stream: stream.id,
          window: { all: true },
          minResponses: 1,
          serverErrorsCarryRetryAfter: true,
        })),
      );
    }
    // A fault failing every attempt, on a link that also promises a breaker: the breaker stops the
    // retries after its threshold, so one retry (not the default three) is what the cell asks for.
    const oraclesOf = (id: string) =>
      cellScenario(
        config,
        faultSpace(config).find((cell) => cell.id === id)!,
      ).expectations.oracles;
    expect(oraclesOf('P1 status-503')).toEqual([
      { link: 'P1', fault: 'p1-status-503', only: ['breaker', 'retry'], minRetries: 1 },
    ]);
    expect(oraclesOf('P1 reset')).toEqual([{ link: 'P1', fault: 'p1-reset', only: ['retry'], minRetries: 1 }]);
    expect(oraclesOf('P1 latency')).toEqual([{ link: 'P1', fault: 'p1-latency', only: ['timeout', 'breaker'] }]);
  });

  it('a pair is one scenario with both faults over the same window', async () => {
    const config = await loadConfig(pyShop);
    const cells = faultSpace(config);
    const pair = [cells[0], cells.find((cell) => cell.id === 'shipping killed')] as FaultCell[];
    const scenario = cellScenario(config, pair);
    expect(scenario.id).toBe('explore-p1-latency-and-shipping-killed');
    expect(scenario.faults.map((fault) => [fault.id, fault.startMs, fault.stopMs])).toEqual([
      ['p1-latency', 500, 4_500],
      ['shipping-killed', 500, 4_500],
    ]);
    expect(checkScenario(scenario, config)).toEqual([]);
  });
});

describe('the reference system explored by the kit runner', () => {
  it('covers the links, connections and processes gateway reaches (not the storefront), every cell a valid kit scenario', async () => {
    const config = await loadConfig(path.join(REPO_ROOT, 'harness.config.ts'));
    useKitConfig(config);
    await loadKitDomain();
    const cells = faultSpace(config);
    expect(new Set(cells.map((cell) => cell.row))).toEqual(
      new Set([
        'L2',
        'L3',
        'L4',
        'L5',
        'L8',
        'L6',
        'L7',
        'L9',
        'L12',
        'gateway',
        'order',
        'inventory',
        'payment',
        'notification',
      ]),
    );
    // 5 HTTP links × 7 classes, 4 message links duplicated, 5 databases × 2, 4 broker connections, 5 processes killed.
    expect(cells).toHaveLength(63);
    expect(cells.find((cell) => cell.id === 'L12 duplicate')?.spec).toEqual({
      kind: 'message',
      action: 'duplicate',
      eventType: 'NotificationSent',
      count: 3,
      producer: 'notification',
    });
    expect(cells.filter((cell) => cell.row === 'gateway').map((cell) => cell.fault)).toEqual([
      'db-refused',
      'db-slow',
      'broker-refused',
      'killed',
      'paused',
    ]);
    // A message link: its first message published again from its producer's outbox, half way into the fault's window.
    const duplicate = cells.find((cell) => cell.id === 'L6 duplicate');
    expect(duplicate?.spec).toEqual({
      kind: 'message',
      action: 'duplicate',
      eventType: 'OrderConfirmed',
      count: 3,
      producer: 'order',
    });
    expect(kitCellScenario(config, duplicate ? [duplicate] : []).faults[0]).toMatchObject({ startMs: 2_000 });
    // The black-box runner publishes no messages: py-shop's message link gets none.
    expect(faultSpace(await loadConfig(pyShop)).some((cell) => cell.fault === 'duplicate')).toBe(false);
    for (const cell of cells) expect(validateScenario(kitCellScenario(config, [cell])), cell.id).toEqual([]);
    // The explore workload reads the catalogue: so do the steady state and the recovery, or a breaker
    // a fault opened on the catalogue's links sees no call after it and stays open.
    const killed = kitCellScenario(
      config,
      cells.filter((cell) => cell.id === 'inventory killed'),
    );
    expect(killed.steadyState.map((probe) => probe.kind)).toEqual([
      'services-ready',
      'catalogue-read',
      'breakers-closed',
    ]);
    expect(killed.recovery.probes.map((probe) => probe.kind)).toEqual([
      'services-ready',
      'order-confirmed',
      'catalogue-read',
      'breakers-closed',
    ]);
    // With the promise the caller reports, latency is twice its timeout and the breaker and retry oracles apply.
    const promised = faultSpace(config, {
      promises: {
        L5: {
          timeoutMs: 500,
          retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 500 },
          breaker: { threshold: 3, halfOpenAfterMs: 2_000 },
        },
      },
    });
    const latency = promised.find((cell) => cell.id === 'L5 latency');
    expect(latency?.spec).toMatchObject({ toxic: { latencyMs: 1_000 } });
    const promises = {
      L5: {
        timeoutMs: 500,
        retry: { attempts: 3, initialDelayMs: 50, maxDelayMs: 500 },
        breaker: { threshold: 3, halfOpenAfterMs: 2_000 },
      },
      L3: { timeoutMs: 1_500, breaker: { threshold: 5, halfOpenAfterMs: 2_000 } },
    };
    const scenario = kitCellScenario(config, latency ? [latency] : [], promises);
    expect(scenario.expectations.oracles).toEqual([
      { kind: 'breaker', service: 'order', dependency: 'payment', fromTheWire: false },
    ]);
    // Five timed-out calls of 1.5 s do not fit in a 3 s fault: gateway's catalogue breaker is not judged under latency.
    const l3 = faultSpace(config, { promises }).find((cell) => cell.id === 'L3 latency');
    expect(l3?.oracles).toContain('breaker');
    expect(kitCellScenario(config, l3 ? [l3] : [], promises).expectations.oracles).toEqual([]);
    // A pair: invariants, response rules and recovery only (each promise was judged alone).
    const dbSlow = faultSpace(config).find((cell) => cell.id === 'order db-slow');
    const pair = kitCellScenario(config, latency && dbSlow ? [latency, dbSlow] : [], promises);
    expect(pair.faults).toHaveLength(2);
    expect(pair.expectations.oracles).toEqual([]);
    expect(pair.expectations.invariants).toContain('at-most-one-charge-per-order');
    expect(scenario.expectations.invariants).toContain('at-most-one-charge-per-order');
    expect(scenario.expectations.responses?.[0]).toMatchObject({
      serverErrorsCarryRetryAfter: true,
      retryAfterOn503: true,
      maxLatencyMs: 5_000,
      bodiesIntact: true,
      duplicatesAgree: true,
    });
    expect(scenario.serviceEnv?.gateway).toMatchObject({ NOTIFICATION_BREAKER_HALF_OPEN_MS: '1000' });
  });

  it('a kit run is survived, vacuous, violated or, when the runner could not run it, an error', async () => {
    const config = await loadConfig(path.join(REPO_ROOT, 'harness.config.ts'));
    useKitConfig(config);
    await loadKitDomain();
    const cell = faultSpace(config)[0] as FaultCell;
    const run = emptyRun(kitCellScenario(config, [cell]), 1, Date.now());
    expect(kitVerdictOf(run).verdict).toBe('survived');
    expect(kitVerdictOf({ ...run, status: 'vacuous', failures: ['no bytes'] })).toEqual({
      verdict: 'vacuous',
      failed: ['no bytes'],
    });
    expect(kitVerdictOf({ ...run, status: 'failed', failures: ['invariant x'] }).verdict).toBe('violated');
    expect(
      kitVerdictOf({ ...run, status: 'failed', failures: ['the runner could not carry it out: gone'] }).verdict,
    ).toBe('error');
  });
});

describe('pairs after dynamic reduction', () => {
  const proxy = (name: string, kind: 'link' | 'postgres' | 'rabbitmq', from: string, to: string, link?: string) => ({
    name,
    kind,
    from,
    to,
    listen: '127.0.0.1:1',
    upstream: '127.0.0.1:2',
    ...(link ? { link } : {}),
  });
  const infra = {
    proxies: [
      proxy('p1', 'link', 'orders', 'payments', 'P1'),
      proxy('orders-postgres', 'postgres', 'orders', 'postgres'),
      proxy('shipping-rabbitmq', 'rabbitmq', 'shipping', 'rabbitmq'),
    ],
  } as unknown as InfraDescription;
  const cell = (id: string, row: string, spec: FaultCell['spec']): FaultCell => ({
    id,
    row,
    fault: 'latency',
    spec,
    oracles: [],
  });
  const latency = cell('P1 latency', 'P1', {
    kind: 'toxic',
    target: { link: 'P1' },
    toxic: { type: 'latency', latencyMs: 1 },
  });
  const dbSlow = cell('orders db-slow', 'orders', {
    kind: 'toxic',
    target: { database: 'orders' },
    toxic: { type: 'latency', latencyMs: 1 },
  });
  const paymentsKilled = cell('payments killed', 'payments', { kind: 'process', service: 'payments', action: 'kill' });
  const brokerDown = cell('shipping broker-refused', 'shipping', {
    kind: 'proxy-down',
    target: { broker: 'shipping' },
  });

  it("a fault acts on its proxy; a killed service on every proxy into or out of it; a message link on both ends' broker connections", () => {
    expect(
      pathsOf(
        {
          id: 'M1 duplicate',
          row: 'M1',
          fault: 'duplicate',
          spec: { kind: 'message', action: 'duplicate', eventType: 'OrderConfirmed', count: 3 },
          oracles: [],
          ends: ['orders', 'shipping'],
        },
        infra,
      ),
    ).toEqual(['shipping-rabbitmq']);
    expect(pathsOf(latency, infra)).toEqual(['p1']);
    expect(pathsOf(dbSlow, infra)).toEqual(['orders-postgres']);
    expect(pathsOf(paymentsKilled, infra)).toEqual(['p1']);
    expect(pathsOf(brokerDown, infra)).toEqual(['shipping-rabbitmq']);
  });

  it("keeps a pair only when each fault alone left traffic on the other one's path and both survived alone", () => {
    const singles = [latency, dbSlow, paymentsKilled, brokerDown];
    const touched = new Map<string, Set<string>>([
      ['P1 latency', new Set(['p1', 'orders-postgres'])],
      ['orders db-slow', new Set(['p1', 'orders-postgres'])],
      // While payments is down nothing reaches the shipping broker connection.
      ['payments killed', new Set(['p1', 'orders-postgres'])],
      ['shipping broker-refused', new Set(['orders-postgres'])],
    ]);
    const survived = new Set(singles.map((one) => one.id));
    const { pairs, pruned } = reducedPairs(singles, touched, survived, infra);
    expect(pairs.map((pair) => pair.id)).toEqual([
      'P1 latency + orders db-slow',
      'P1 latency + payments killed',
      'orders db-slow + payments killed',
    ]);
    expect(pruned).toBe(3);
    // A cell that failed alone is not paired: the pair could only fail the same way.
    survived.delete('orders db-slow');
    expect(reducedPairs(singles, touched, survived, infra).pairs.map((pair) => pair.id)).toEqual([
      'P1 latency + payments killed',
    ]);
  });
});

describe('the traffic a run saw while its fault was in force', () => {
  it('names the proxies whose Toxiproxy byte counters grew inside the window', async () => {
    let bytes = { p1: 10, db: 5 };
    let hits = 0;
    const server = http.createServer((_request, response) => {
      hits++;
      response.end(
        `# TYPE toxiproxy_proxy_received_bytes_total counter\ntoxiproxy_proxy_received_bytes_total{direction="upstream",proxy="p1"} ${bytes.p1}\ntoxiproxy_proxy_received_bytes_total{direction="upstream",proxy="db"} ${bytes.db}\n`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // Waits for two more scrapes to reach the server. Scrapes go one at a time, so the second of them
    // started after the first ended: after the moment this was called. (With scrapes that overlapped
    // and samples stamped when read, a scrape served before `from` but read after `to` once made
    // the window see nothing, in a CI run with three test files at a time.)
    const twoScrapes = async (): Promise<void> => {
      const until = hits + 2;
      while (hits < until) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      const sampler = new TrafficSampler(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 10);
      sampler.start();
      await twoScrapes();
      const from = Date.now();
      bytes = { p1: 50, db: 5 };
      await twoScrapes();
      const to = Date.now();
      await twoScrapes();
      bytes = { p1: 50, db: 99 };
      await twoScrapes();
      await sampler.stop();
      expect([...(sampler.touched(from, to) ?? [])]).toEqual(['p1']);
    } finally {
      server.close();
    }
  });

  it('knows nothing without proxy metrics', () => {
    expect(new TrafficSampler('http://127.0.0.1:9').touched(0, 1)).toBeUndefined();
  });
});

describe('the response rules', () => {
  const record = (status: number, retryAfter?: string) => ({
    stream: 's',
    kind: 'place' as const,
    key: 'k',
    startMs: 0,
    endMs: 10,
    status,
    ...(retryAfter ? { retryAfter } : {}),
  });
  it('every 5xx carries Retry-After: a bare 500 or 503 fails, 4xx and a 503 with Retry-After pass', () => {
    const rule = { stream: 's', window: { all: true } as const, minResponses: 1, serverErrorsCarryRetryAfter: true };
    const context = { faults: new Map(), breakerIntervals: () => [], experimentEndMs: 100 };
    const ok = checkResponses(rule, [record(201), record(422), record(503, '1')] as never, context as never);
    expect(ok.passed).toBe(true);
    const bad = checkResponses(rule, [record(500), record(503)] as never, context as never);
    expect(bad.failures[0]).toMatch(/^2 5xx responses without Retry-After \(500, 503\)/);
  });

  it('marked: enough answers carry the mark the domain client noticed (a stale read model), else it fails', () => {
    const rule = { stream: 's', window: { all: true } as const, minResponses: 1, marked: { mark: 'stale', min: 2 } };
    const context = { faults: new Map(), breakerIntervals: () => [], experimentEndMs: 100 };
    const stale = { ...record(200), marks: ['stale'] };
    expect(checkResponses(rule, [stale, stale, record(200)] as never, context as never).passed).toBe(true);
    const one = checkResponses(rule, [stale, record(200), record(200)] as never, context as never);
    expect(one.failures).toEqual(['1 responses marked stale (at least 2 expected)']);
  });
});

describe('the verdict of a cell', () => {
  const outcome = (over: Partial<SystemScenarioOutcome>): SystemScenarioOutcome => ({
    id: 'x',
    title: 'x',
    passed: true,
    durationMs: 1,
    checks: [{ name: 'steady-state', passed: true, detail: 'ok' }],
    oracles: [],
    invariants: [],
    faults: [],
    requests: { sent: 1, byStatus: {} },
    ...over,
  });

  it('survived, vacuous when only the vacuity check failed, violated naming what failed, error', () => {
    expect(verdictOf(outcome({}))).toEqual({ verdict: 'survived', failed: [] });
    expect(
      verdictOf(
        outcome({ passed: false, checks: [{ name: 'not-vacuous f', passed: false, detail: 'vacuous: nothing' }] }),
      ),
    ).toEqual({ verdict: 'vacuous', failed: ['not-vacuous f: vacuous: nothing'] });
    const violated = verdictOf(
      outcome({
        passed: false,
        oracles: [
          {
            oracle: 'black-box breaker P1',
            passed: false,
            checks: [{ name: 'breaker-engaged', passed: false, detail: '91 attempts' }],
          },
        ],
        invariants: [{ name: 'orders-terminal', holds: false, detail: '2 rows' }],
      }),
    );
    expect(violated).toEqual({
      verdict: 'violated',
      failed: ['black-box breaker P1 breaker-engaged: 91 attempts', 'invariant orders-terminal: 2 rows'],
    });
    expect(verdictOf(outcome({ passed: false, error: 'boom' }))).toEqual({ verdict: 'error', failed: ['error: boom'] });
  });
});
