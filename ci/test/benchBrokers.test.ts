import { describe, expect, it } from 'vitest';
import type { BenchFigures } from '../src/load/baseline.ts';
import { compareBrokers, describeBrokerComparison } from '../src/load/brokerComparison.ts';
import { harness } from './cliHelpers.ts';

const rabbitmq: BenchFigures = {
  confirmedPerSecond: 240,
  p50Ms: 300,
  p95Ms: 2000,
  p99Ms: 2500,
  errors: 0,
  rssAtRestMb: 900,
  rssPeakMb: 1400,
  systemRssAtRestMb: 800,
  systemRssAfterLoadMb: 1200,
  capacityAtSlo: 150,
  cpuMsPerOrder: 6.5,
  cpuCeiling: 306,
  gatewayCeiling: 300,
  proxiedCeiling: 280,
  orderCeiling: 320,
  postgresTps: 2000,
  ratios: { l1ProxiedVsDirect: 0.95, gatewayVsOrder: 0.9, ordersVsPostgres: 0.07 },
};

const row = (comparison: ReturnType<typeof compareBrokers>, figure: string) =>
  comparison.rows.find((r) => r.figure === figure);

describe('harness bench --brokers: both brokers side by side', () => {
  it('holds the second broker to the first: memory at rest at most 1.5×, capacity at SLO at least 0.9×', () => {
    const within = compareBrokers([
      { broker: 'rabbitmq', figures: rabbitmq },
      { broker: 'kafka', figures: { ...rabbitmq, systemRssAtRestMb: 1200, capacityAtSlo: 135 } },
    ]);
    expect(row(within, 'memory at rest (system)')).toMatchObject({
      values: { rabbitmq: 800, kafka: 1200 },
      ratio: 1.5,
      target: { met: true },
    });
    expect(row(within, 'capacity at SLO')).toMatchObject({ ratio: 0.9, target: { met: true } });

    const beyond = compareBrokers([
      { broker: 'rabbitmq', figures: rabbitmq },
      { broker: 'kafka', figures: { ...rabbitmq, systemRssAtRestMb: 1300, capacityAtSlo: 120 } },
    ]);
    expect(row(beyond, 'memory at rest (system)')?.target?.met).toBe(false);
    expect(row(beyond, 'capacity at SLO')?.target?.met).toBe(false);
    const printed = describeBrokerComparison(beyond).join('\n');
    expect(printed).toMatch(/memory at rest \(system\) \(MiB\)\s+800\s+1300\s+1\.63×\s+MISS ≤ 1\.5×/);
    expect(printed).toMatch(/capacity at SLO \(confirmed\/s\)\s+150\s+120\s+0\.80×\s+MISS ≥ 0\.9×/);
  });

  it('leaves a ratio out when a run lacks the figure or the first is 0', () => {
    const { systemRssAfterLoadMb: _left, ...withoutAfterLoad } = rabbitmq;
    const comparison = compareBrokers([
      { broker: 'rabbitmq', figures: { ...rabbitmq, capacityAtSlo: 0 } },
      { broker: 'kafka', figures: withoutAfterLoad },
    ]);
    expect(row(comparison, 'memory at rest after the load')).toEqual({
      figure: 'memory at rest after the load',
      unit: 'MiB',
      values: { rabbitmq: 1200 },
    });
    expect(row(comparison, 'capacity at SLO')?.ratio).toBeUndefined();
    expect(describeBrokerComparison(comparison).join('\n')).toMatch(/after the load \(MiB\)\s+1200\s+—\s+—/);
  });

  it('refuses an unknown broker, a single one, and a run without --start, before starting anything', async () => {
    const unknown = await harness(['bench', '--start', '--brokers', 'rabbitmq,nats']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--brokers: unknown broker nats \(known: rabbitmq, kafka\)/);
    const single = await harness(['bench', '--start', '--brokers', 'kafka']);
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/--brokers: name two different brokers to compare/);
    const attached = await harness(['bench', '--brokers', 'rabbitmq,kafka']);
    expect(attached.code).toBe(2);
    expect(attached.stderr).toMatch(/--brokers starts a system per broker: pass --start/);
    for (const result of [unknown, single, attached]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
