import { inject } from 'vitest';
import type { InfraDescription } from '../infra.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/** The test run's infrastructure: always on RabbitMQ. */
export type TestInfra = InfraDescription & { rabbitmq: NonNullable<InfraDescription['rabbitmq']> };

/** The real PostgreSQL, RabbitMQ and Toxiproxy the root global setup (./globalSetup.ts) started for this run. */
export function infra(): TestInfra {
  const provided = inject('infra');
  const { rabbitmq } = provided;
  if (!rabbitmq) throw new Error('the test run has no RabbitMQ (the global setup always starts it)');
  return { ...provided, rabbitmq };
}
