import { randomBytes } from 'node:crypto';
import { infra } from '@harness/runtime/testing';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POISON_HEADER, type InjectedPoison } from '../src/faults/messageFaults.ts';
import { deadLettersAccounted } from '../src/invariants/deadLettersAccounted.ts';
import type { InvariantContext } from '../src/invariants/Invariant.ts';

const amqpUrl = infra().rabbitmq.url;
const queue = `chaos-test-${randomBytes(4).toString('hex')}.dlq`;
let connection: amqp.ChannelModel;
let channel: amqp.Channel;

beforeAll(async () => {
  connection = await amqp.connect(amqpUrl);
  channel = await connection.createChannel();
  await channel.assertQueue(queue, { durable: false, autoDelete: false });
});
afterAll(async () => {
  await channel.deleteQueue(queue);
  await connection.close();
});

const poison = (name: string): InjectedPoison => ({
  scenario: 'test',
  name,
  tag: `run:test:${name}`,
  routingKey: 'order.confirmed',
  messageId: undefined,
});

function context(poisons: InjectedPoison[]): InvariantContext {
  return {
    scenario: 'test',
    db: () => {
      throw new Error('not used');
    },
    sinceIso: new Date().toISOString(),
    baseline: {},
    poisons,
    amqpUrl,
    deadLetterQueues: [queue],
  };
}

async function deadLetter(headers: Record<string, string>): Promise<void> {
  channel.sendToQueue(queue, Buffer.from('{}'), { headers, messageId: randomBytes(8).toString('hex') });
  // sendToQueue is asynchronous; a round trip makes sure the broker has it.
  await channel.checkQueue(queue);
}

describe('dead-letters-accounted on a real broker', () => {
  it('holds when the dead-letter queue holds exactly the injected poison, with reasons', async () => {
    await channel.purgeQueue(queue);
    await deadLetter({ [POISON_HEADER]: 'run:test:not-json', 'x-death-reason': 'invalid_json' });
    const result = await deadLettersAccounted.check(context([poison('not-json')]));
    expect(result.violations).toEqual([]);
    // Browsing puts the messages back.
    expect((await channel.checkQueue(queue)).messageCount).toBe(1);
  });

  it('catches a real event in the dead-letter queue (a lost business event)', async () => {
    await channel.purgeQueue(queue);
    await deadLetter({ 'x-death-reason': 'max_attempts_exceeded', 'x-original-routing-key': 'order.confirmed' });
    const result = await deadLettersAccounted.check(context([]));
    expect(result.passed).toBe(false);
    expect(result.violations[0]).toMatch(/^unaccounted dead letter in .*order\.confirmed.*max_attempts_exceeded/);
  });

  it('catches an injected poison message that never reached a dead-letter queue', async () => {
    await channel.purgeQueue(queue);
    const result = await deadLettersAccounted.check(context([poison('no-event-id')]));
    expect(result.violations).toEqual(['poison message no-event-id (order.confirmed) is in no dead-letter queue']);
  });

  it('catches a dead letter without the reason the consumer must give', async () => {
    await channel.purgeQueue(queue);
    await deadLetter({ [POISON_HEADER]: 'run:test:not-json' });
    const result = await deadLettersAccounted.check(context([poison('not-json')]));
    expect(result.violations).toEqual([`dead letter run:test:not-json in ${queue} carries no x-death-reason`]);
  });
});
