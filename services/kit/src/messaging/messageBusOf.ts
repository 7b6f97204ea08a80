import { ConfigError } from '../config/ConfigError.ts';
import type { Logger } from '../observability/logger.ts';
import { kafkaBus } from './kafka/kafkaBus.ts';
import { rabbitMqBus, type MessageBus } from './MessageBus.ts';

/** The broker settings of a service's config (`brokerSettings`). */
export interface BusConfig {
  BROKER?: 'rabbitmq' | 'kafka';
  AMQP_URL?: string;
  KAFKA_BROKERS?: string;
}

/** The broker's address the config's BROKER needs: AMQP_URL on RabbitMQ, KAFKA_BROKERS on Kafka. */
export function checkBrokerConfig<C extends BusConfig>(config: C): C {
  const kind = config.BROKER ?? 'rabbitmq';
  const needed = kind === 'kafka' ? 'KAFKA_BROKERS' : 'AMQP_URL';
  if (config[needed] === undefined)
    throw new ConfigError([{ variable: needed, message: `is required (BROKER=${kind})` }]);
  return config;
}

/** The message bus BROKER names (default RabbitMQ), at the address the config gives for it. */
export function messageBusOf(config: BusConfig, options: { logger?: Logger; clientId?: string } = {}): MessageBus {
  checkBrokerConfig(config);
  const logger = options.logger === undefined ? {} : { logger: options.logger };
  if (config.BROKER === 'kafka') {
    const bootstrap = (config.KAFKA_BROKERS ?? '')
      .split(',')
      .map((address) => address.trim())
      .filter((address) => address !== '');
    return kafkaBus({
      bootstrap,
      ...logger,
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    });
  }
  return rabbitMqBus({ url: config.AMQP_URL ?? '', ...logger });
}
