import type { InfraDescription } from '@harness/runtime';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/** PostgreSQL, RabbitMQ and Toxiproxy of the test run (the root vitest global setup starts them). */
export function infra(): InfraDescription {
  return inject('infra');
}
