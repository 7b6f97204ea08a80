import { Counter, Histogram, type Registry } from 'prom-client';

/** Saga outcomes by result (confirmed or the cancellation reason) and how long sagas took. */
export function createSagaMetrics(registry: Registry) {
  const registers = [registry];
  return {
    outcomes: new Counter({
      name: 'order_saga_outcomes_total',
      help: 'Sagas that reached a terminal state, by result (CONFIRMED or the cancellation reason).',
      labelNames: ['result'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'order_saga_duration_seconds',
      help: 'Time from order creation to its terminal state, by result.',
      labelNames: ['result'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    recoveries: new Counter({
      name: 'order_saga_recovery_attempts_total',
      help: 'Orders the recovery worker claimed, by what it did (resume, compensate, audit).',
      labelNames: ['action'] as const,
      registers,
    }),
    refunds: new Counter({
      name: 'order_saga_refunds_total',
      help: 'Charges refunded because their order was cancelled.',
      registers,
    }),
  };
}

export type SagaMetrics = ReturnType<typeof createSagaMetrics>;
