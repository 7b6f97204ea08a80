import type { InjectedPoison } from '../faults/messageFaults.ts';

import type { Queryable } from './Queryable.ts';

export type { Queryable } from './Queryable.ts';

/** A service with a database, named as in the system's config. */
export type ServiceDatabase = string;

export interface InvariantContext {
  /** The scenario being checked (its own poison messages must all be dead-lettered). */
  scenario: string;
  /** The service's database (read as superuser, not through Toxiproxy). */
  db(service: ServiceDatabase): Queryable;
  /** Rows created from here on belong to the scenario (ISO time). */
  sinceIso: string;
  /** What the kit domain's `baseline` took when the scenario started (e.g. stock per product). */
  baseline: Readonly<Record<string, unknown>>;
  /** Poison messages the whole run injected so far. */
  poisons: readonly InjectedPoison[];
  /** The run's RabbitMQ (absent on a Kafka run). */
  amqpUrl: string | undefined;
  /** The run's Kafka, the harness's own listener (absent on a RabbitMQ run). */
  kafkaBootstrap?: string;
  deadLetterQueues: readonly string[];
}

export interface InvariantResult {
  name: string;
  passed: boolean;
  /** What was looked at, e.g. "14 orders, 9 charges". */
  checked: string;
  /** The first violations found (at most 20). */
  violations: string[];
}

/** A business invariant, checked against the databases and the broker after a run. */
export interface Invariant {
  name: string;
  description: string;
  /** True when it may take a while to hold (sagas settling, outbox draining): polled until its bound. */
  settles: boolean;
  check(context: InvariantContext): Promise<InvariantResult>;
}

export function result(name: string, checked: string, violations: string[]): InvariantResult {
  return { name, passed: violations.length === 0, checked, violations: violations.slice(0, 20) };
}
