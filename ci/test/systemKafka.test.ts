import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunState } from '@harness/runtime';
import { harness } from './cliHelpers.ts';
import { expectOrderConfirmedNotifiedAndListed, expectOrderTraced } from './systemChecks.ts';

// The whole system on Kafka through `HARNESS_BROKER=kafka harness up` (the same runtime code as on
// RabbitMQ): an order placed through the gateway is confirmed, notification records it and the
// gateway's order history (built from the order and notification events alone) lists it with its
// e-mail, its trace crosses the broker in Jaeger; `harness down` stops Kafka too.
const env: NodeJS.ProcessEnv = {
  HARNESS_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'harness-system-kafka-')),
  HARNESS_BROKER: 'kafka',
};
let state: RunState;
let api: string;
let key: string;

beforeAll(async () => {
  const started = await harness(['up'], env, 240_000);
  if (started.code !== 0) throw new Error(`harness up failed:\n${started.stdout}\n${started.stderr}`);
  state = JSON.parse(fs.readFileSync(path.join(env.HARNESS_STATE_DIR ?? '', 'run.json'), 'utf8')) as RunState;
  api = `${state.infra?.services.gateway?.url}/api/v1`;
  key = state.secrets?.demoApiKey ?? '';
}, 300_000);

afterAll(async () => {
  await harness(['down'], env);
});

describe('the reference system on Kafka (HARNESS_BROKER=kafka harness up)', () => {
  it('runs Kafka instead of RabbitMQ, each broker client behind a proxy of its own', () => {
    const infra = state.infra;
    expect(infra?.rabbitmq).toBeUndefined();
    expect(infra?.kafka?.internalBootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const clients = (infra?.proxies ?? []).filter((proxy) => proxy.kind === 'kafka').map((proxy) => proxy.from);
    expect(clients.sort()).toEqual(['gateway', 'inventory', 'notification', 'order']);
    expect(state.processes.map((proc) => proc.name)).toContain('kafka');
  });

  it('places an order through the gateway: confirmed, notified, and listed by the order history', async () => {
    await expectOrderConfirmedNotifiedAndListed({ api, key }, 'espresso-1kg');
  });

  it('traces an order in Jaeger across Kafka: the trace context rides in the record headers', async () => {
    const jaeger = state.infra?.jaeger;
    expect(jaeger, 'harness up started no Jaeger').toBeDefined();
    await expectOrderTraced({ api, key }, jaeger!.uiUrl);
  });
});
