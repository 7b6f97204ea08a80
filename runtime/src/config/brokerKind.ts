/** The brokers a system's message links can run on. */
export const BROKER_KINDS = ['rabbitmq', 'kafka'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

const isBrokerKind = (value: string): value is BrokerKind => (BROKER_KINDS as readonly string[]).includes(value);

/**
 * The broker a run uses: HARNESS_BROKER when set (it wins over the config, so one config runs on
 * either broker), else `infrastructure.broker.kind`, else RabbitMQ. An unknown HARNESS_BROKER is an
 * error naming the variable and the brokers there are.
 */
export function brokerOf(configured: BrokerKind | undefined, env: NodeJS.ProcessEnv = process.env): BrokerKind {
  const value = env.HARNESS_BROKER;
  if (value === undefined || value === '') return configured ?? 'rabbitmq';
  if (isBrokerKind(value)) return value;
  throw new Error(`HARNESS_BROKER must be ${BROKER_KINDS.map((kind) => `"${kind}"`).join(' or ')}, got "${value}"`);
}
