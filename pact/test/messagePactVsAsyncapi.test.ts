import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readMessageCatalog } from '../src/checks/messageCatalog.ts';
import { checkMessagePactAgainstAsyncapi } from '../src/checks/messagePactVsAsyncapi.ts';
import { eventSchemasFile, repoLayout, type ContractsLayout } from '../src/layout.ts';
import { pactFilePath, pactLink } from '../src/links.ts';
import { scratchContracts, type ScratchContracts } from './support/scratchContracts.ts';

type MessagePact = {
  interactions: Array<{
    description: string;
    contents: { content: Record<string, unknown> };
    metadata: Record<string, unknown>;
  }>;
};

const contractOf = (layout: ContractsLayout) => ({
  catalog: readMessageCatalog(layout),
  schemasFile: eventSchemasFile(layout),
});

let scratch: ScratchContracts | undefined;
afterEach(() => scratch?.remove());

function checkChanged(linkId: 'L6' | 'L7', change: (pact: MessagePact) => void) {
  scratch = scratchContracts();
  const link = pactLink(linkId);
  const file = `pacts/${link.consumer}-${link.provider}.json`;
  scratch.editJson(file, (json) => change(json as unknown as MessagePact));
  return checkMessagePactAgainstAsyncapi(
    path.join(scratch.layout.contractsDir, file),
    link,
    contractOf(scratch.layout),
  );
}

const confirmed = (pact: MessagePact) => pact.interactions.find((i) => i.description.startsWith('OrderConfirmed'))!;

describe('message pacts against AsyncAPI', () => {
  it.each(['L6', 'L7'])('finds the committed %s pact conformant', (id) => {
    const link = pactLink(id);
    const result = checkMessagePactAgainstAsyncapi(pactFilePath(repoLayout, link), link, contractOf(repoLayout));
    expect(result.issues).toEqual([]);
    expect(result.checked).toBeGreaterThan(0);
  });

  it('fails a payload field of the wrong type, naming the field', () => {
    const result = checkChanged('L6', (pact) => {
      confirmed(pact).contents.content['totalCents'] = '3798';
    });
    expect(result.issues).toContainEqual({
      interaction: 'OrderConfirmed: an order was confirmed',
      message: expect.stringMatching(/payload does not match OrderConfirmedPayload: \/totalCents must be integer/),
    });
  });

  it('fails headers that contradict the message', () => {
    const result = checkChanged('L6', (pact) => {
      confirmed(pact).metadata['eventType'] = 'OrderCancelled';
    });
    expect(result.issues.map((issue) => issue.message).join('\n')).toMatch(
      /headers do not match OrderConfirmedHeaders/,
    );
  });

  it('fails a routing key other than the spec says', () => {
    const result = checkChanged('L6', (pact) => {
      confirmed(pact).metadata['routingKey'] = 'order.done';
    });
    expect(result.issues.map((issue) => issue.message)).toContain(
      'routing key order.done, the spec says order.confirmed',
    );
  });

  it('accepts the Kafka topic and record key the spec gives the message', () => {
    const result = checkChanged('L6', (pact) => {
      const message = confirmed(pact);
      message.metadata['kafka_topic'] = 'orders';
      message.metadata['key'] = message.contents.content['orderId'];
    });
    expect(result.issues).toEqual([]);
  });

  it('fails a Kafka topic other than the spec says, and a key that is not the partition key member', () => {
    const result = checkChanged('L6', (pact) => {
      const message = confirmed(pact);
      message.metadata['topic'] = 'order-events';
      message.metadata['key'] = 'customer-7';
    });
    const messages = result.issues.map((issue) => issue.message);
    expect(messages).toContain('Kafka topic order-events, the spec says orders');
    expect(messages).toContainEqual(expect.stringMatching(/^Kafka key customer-7 is not the payload's orderId \(/));
  });

  it('fails a message the spec does not define', () => {
    const result = checkChanged('L6', (pact) => {
      confirmed(pact).description = 'OrderShipped: a parcel left';
    });
    expect(result.issues).toContainEqual({
      interaction: 'OrderShipped: a parcel left',
      message: 'names message OrderShipped, which no AsyncAPI spec defines',
    });
  });

  it('fails a message the link does not carry and the consumer does not receive', () => {
    const result = checkChanged('L7', (pact) => {
      pact.interactions[0]!.description = 'OrderConfirmed: inventory listens to confirmations';
    });
    const messages = result.issues.map((issue) => issue.message);
    expect(messages).toContain('OrderConfirmed is not carried by link L7 (OrderCancelled)');
    expect(messages).toContain('the spec does not have inventory receive OrderConfirmed');
  });
});
