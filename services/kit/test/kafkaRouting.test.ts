import { describe, expect, it } from 'vitest';
import { bindingMatches } from '../src/messaging/kafka/declareKafkaTopology.ts';
import { headersFromKafka, kafkaHeadersOf } from '../src/messaging/kafka/kafkaHeaders.ts';

describe('routing keys on Kafka', () => {
  it.each([
    ['order.confirmed', 'order.confirmed', true],
    ['order.*', 'order.cancelled', true],
    ['order.*', 'order.cancelled.late', false],
    ['order.#', 'order', true],
    ['order.#', 'order.cancelled.late', true],
    ['#', 'anything.at.all', true],
    ['#.late', 'order.cancelled.late', true],
    ['order.confirmed', 'order.cancelled', false],
    ['*.confirmed', 'payment.confirmed', true],
  ])('binding %s matches %s: %s', (binding, routingKey, expected) => {
    expect(bindingMatches(binding, routingKey)).toBe(expected);
  });
});

describe('headers on Kafka', () => {
  it('carries the AMQP headers and properties, and reads numbers and booleans back as such', () => {
    const headers = kafkaHeadersOf({
      exchange: 'orders',
      routingKey: 'order.confirmed',
      content: Buffer.from('{}'),
      options: {
        messageId: 'e-1',
        type: 'OrderConfirmed',
        contentType: 'application/json',
        headers: { schemaVersion: 1, traceparent: '00-abc-def-01', replayed: false, absent: undefined },
      },
    });
    expect(headers).toEqual({
      schemaVersion: '1',
      traceparent: '00-abc-def-01',
      replayed: 'false',
      'x-routing-key': 'order.confirmed',
      eventId: 'e-1',
      eventType: 'OrderConfirmed',
      'content-type': 'application/json',
    });
    expect(headersFromKafka(Object.entries(headers))).toMatchObject({
      schemaVersion: 1,
      replayed: false,
      eventId: 'e-1',
      traceparent: '00-abc-def-01',
    });
  });
});
