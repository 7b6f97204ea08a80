import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/generate/bundle-spec.ts';
import { buildEventCatalog } from '../src/generate/event-catalog.ts';

/**
 * A one-channel AsyncAPI 3 document with an AMQP and a Kafka binding, with `edits` applied first:
 * each sets the member at a dotted path (`undefined` removes it).
 */
function document(edits: Record<string, unknown> = {}): JsonObject {
  const doc: JsonObject = {
    asyncapi: '3.0.0',
    channels: {
      petEvents: {
        address: 'pets',
        messages: { PetAdopted: { $ref: '#/components/messages/PetAdopted' } },
        bindings: {
          amqp: { is: 'routingKey', exchange: { name: 'pets', type: 'topic' } },
          kafka: { topic: 'pet-events', partitions: 6, replicas: 1 },
        },
      },
    },
    operations: {
      celebrate: {
        action: 'receive',
        channel: { $ref: '#/channels/petEvents' },
        'x-queue': { name: 'party.pets' },
        bindings: { kafka: { groupId: { type: 'string', enum: ['party.pets'] } } },
      },
    },
    components: {
      messages: {
        PetAdopted: {
          name: 'PetAdopted',
          'x-routing-key': 'pet.adopted',
          'x-partition-key': 'petId',
          payload: {
            type: 'object',
            required: ['petId'],
            properties: { petId: { type: 'string' }, age: { type: 'integer' } },
          },
        },
      },
    },
  };
  for (const [path, value] of Object.entries(edits)) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    const parent = keys.reduce<JsonObject>((node, key) => node[key] as JsonObject, doc);
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return doc;
}

const catalogOf = (doc: JsonObject) => buildEventCatalog([{ source: 'pets.yaml', document: doc }]);

describe('Kafka bindings in the event catalog', () => {
  it('reads the topic, the partition key and the consumer group beside the AMQP exchange', () => {
    const catalog = catalogOf(document());
    expect(catalog.exchanges.map((e) => e.name)).toEqual(['pets']);
    expect(catalog.topics).toEqual([{ channel: 'petEvents', name: 'pet-events', partitions: 6, replicas: 1 }]);
    expect(catalog.messages[0]?.partitionKey).toBe('petId');
    expect(catalog.queues[0]).toMatchObject({ name: 'party.pets', groupId: 'party.pets' });
  });

  it('leaves them empty for an AMQP-only document', () => {
    const catalog = catalogOf(
      document({
        'channels.petEvents.bindings.kafka': undefined,
        'operations.celebrate.bindings': undefined,
        'components.messages.PetAdopted.x-partition-key': undefined,
      }),
    );
    expect(catalog.topics).toEqual([]);
    expect(catalog.messages[0]?.partitionKey).toBeNull();
    expect(catalog.queues[0]?.groupId).toBeNull();
  });

  it('rejects a partition key that is not a required string member of the payload', () => {
    const notRequired = document({ 'components.messages.PetAdopted.payload.required': [] });
    const notString = document({ 'components.messages.PetAdopted.x-partition-key': 'age' });
    for (const doc of [notRequired, notString]) {
      expect(() => catalogOf(doc)).toThrow(/PetAdopted: x-partition-key must name a required string member/);
    }
  });

  it('rejects a consumer group other than the queue name (the kit runs each queue as its group)', () => {
    const doc = document({ 'operations.celebrate.bindings.kafka.groupId.enum': ['someone-else'] });
    expect(() => catalogOf(doc)).toThrow(/Kafka groupId "someone-else" must be the queue's name "party.pets"/);
  });
});
