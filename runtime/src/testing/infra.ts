import { inject } from 'vitest';
import type { InfraDescription } from '../infra.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    infra: InfraDescription;
  }
}

/** The real PostgreSQL, RabbitMQ and Toxiproxy the root global setup (./globalSetup.ts) started for this run. */
export function infra(): InfraDescription {
  return inject('infra');
}
