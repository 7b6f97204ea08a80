import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../src/systems/requestWorkload.ts';
import { connectionVacuity } from '../../src/systems/runSystemScenario.ts';
import type { SystemScenario } from '../../src/systems/SystemScenario.ts';
import type { SystemUnderChaos } from '../../src/systems/SystemUnderChaos.ts';

/** Toxiproxy's /metrics, as a stand-in serving the byte counter of one proxy. */
let bytes = 0;
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((_request, response) => {
    response.end(
      `# TYPE toxiproxy_proxy_received_bytes_total counter\n` +
        `toxiproxy_proxy_received_bytes_total{direction="upstream",listener="127.0.0.1:1",proxy="orders-rabbitmq",upstream="127.0.0.1:2"} ${bytes}\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const system = (): SystemUnderChaos =>
  ({
    config: { topology: { services: [], links: [] } },
    running: { infra: { description: { toxiproxy: { url } } } },
    taps: new Map(),
    proxyOf: () => ({ name: 'orders-rabbitmq' }),
  }) as unknown as SystemUnderChaos;

const scenario = (service: string): SystemScenario => ({
  id: 'broker-down',
  title: 't',
  hypothesis: 'h',
  timeLimitMs: 10_000,
  faults: [{ id: 'mq-down', kind: 'proxy-down', target: { broker: 'orders' }, startMs: 0, stopMs: 1_000 }],
  workload: [{ id: 'checkout', service, method: 'POST', path: '/orders', count: 1 }],
  expectations: { settleWithinMs: 1_000 },
  recovery: { withinMs: 1_000 },
});

const request = (startMs: number): RequestRecord => ({
  stream: 'checkout',
  index: 0,
  startMs,
  endMs: startMs + 5,
  status: 201,
  key: undefined,
});

describe('black-box vacuity of a fault on a database or broker connection', () => {
  it('is vacuous when no byte crossed the proxy and no request reached the service while it was in force', async () => {
    bytes = 500;
    const [verdict] = await connectionVacuity(
      system(),
      scenario('orders'),
      [request(5_000)],
      new Map([['mq-down', { injectedAtMs: 1_000, liftedAtMs: 2_000, bytesBefore: 500 }]]),
    );
    expect(verdict).toMatchObject({ name: 'not-vacuous mq-down', passed: false });
    expect(verdict?.detail).toMatch(/vacuous: nothing used orders-rabbitmq while mq-down was in force/);
  });

  it('is proven by bytes Toxiproxy counted on the proxy since the fault went in', async () => {
    bytes = 900;
    const [verdict] = await connectionVacuity(
      system(),
      scenario('payments'),
      [],
      new Map([['mq-down', { injectedAtMs: 1_000, liftedAtMs: 2_000, bytesBefore: 500 }]]),
    );
    expect(verdict).toMatchObject({ passed: true });
    expect(verdict?.detail).toMatch(/^400 bytes counted on orders-rabbitmq/);
  });

  it('is proven by a request that reached the service while its connection was faulted', async () => {
    bytes = 500;
    const [verdict] = await connectionVacuity(
      system(),
      scenario('orders'),
      [request(1_500)],
      new Map([['mq-down', { injectedAtMs: 1_000, liftedAtMs: 2_000, bytesBefore: 500 }]]),
    );
    expect(verdict).toMatchObject({ passed: true });
    expect(verdict?.detail).toMatch(/1 requests reached orders while it was in force/);
  });
});
