import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startInfra, type InfraDescription } from '../infra.ts';
import { referenceTopology } from '../referenceTopology.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/**
 * Vitest global setup: one real PostgreSQL, RabbitMQ and Toxiproxy (with the reference topology's
 * databases and proxies) for the whole test run; tests read it with `inject('infra')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-test-run-'));
  // No Jaeger: services under test export no spans (ci/test/system.test.ts checks the traces).
  // Always RabbitMQ, whatever HARNESS_BROKER says: tests on Kafka start a node of their own.
  const topology = { ...referenceTopology(), broker: 'rabbitmq' as const };
  const infra = await startInfra({ runDir, topology, traces: false });
  project.provide('infra', infra.description);
  return async () => {
    await infra.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
