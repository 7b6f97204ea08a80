import type { InfraDescription } from '@harness/runtime';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/** The real PostgreSQL, RabbitMQ and Toxiproxy the root global setup started for this run. */
export function infra(): InfraDescription {
  return inject('infra');
}
