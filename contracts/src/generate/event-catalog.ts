import type { JsonObject } from './bundle-spec.ts';
import type { EventCatalog } from './event-catalog-types.ts';
import { toIdentifier } from './format-output.ts';
import { cleanSchema, derefLocal, isObject, pointerName } from './json-pointer.ts';

const COMPONENT_SCHEMAS = '#/components/schemas/';

/** A bundled AsyncAPI 3 document and the file it came from (for error messages). */
export interface BundledAsyncapi {
  source: string;
  document: JsonObject;
}

/** Collects schemas, messages, exchanges, queues and publishers from bundled AsyncAPI 3 documents. */
export function buildEventCatalog(documents: readonly BundledAsyncapi[]): EventCatalog {
  const catalog: EventCatalog = { defs: {}, messages: [], exchanges: [], topics: [], queues: [], publishers: [] };
  for (const { source, document } of documents) addDocument(catalog, source, document);
  return catalog;
}

function addDocument(catalog: EventCatalog, source: string, document: JsonObject): void {
  const components = isObject(document['components']) ? document['components'] : {};
  const schemas = isObject(components['schemas']) ? components['schemas'] : {};
  for (const [name, schema] of Object.entries(schemas)) addDef(catalog, source, name, schema);

  const channels = entries(document['channels']);
  const operations = entries(document['operations']);
  const messageName = new Map<string, string>(); // `<channel>/<key>` -> message name
  const defaultedKeys = new Set<string>(); // messages without x-routing-key

  for (const [channelId, rawChannel] of channels) {
    const channel = derefLocal(document, rawChannel) ?? {};
    const amqp = amqpBinding(channel);
    const exchange = exchangeOf(channel, amqp);
    if (isObject(amqp['exchange']) && amqp['is'] !== 'queue') {
      const spec = amqp['exchange'];
      catalog.exchanges.push({
        channel: channelId,
        name: String(spec['name'] ?? exchange),
        type: String(spec['type'] ?? 'topic'),
        durable: spec['durable'] !== false,
        autoDelete: spec['autoDelete'] === true,
        vhost: String(spec['vhost'] ?? '/'),
      });
    }
    const kafka = binding(channel, 'kafka');
    if (Object.keys(kafka).length > 0) {
      catalog.topics.push({
        channel: channelId,
        name: String(kafka['topic'] ?? channel['address'] ?? channelId),
        partitions: typeof kafka['partitions'] === 'number' ? kafka['partitions'] : null,
        replicas: typeof kafka['replicas'] === 'number' ? kafka['replicas'] : null,
      });
    }
    for (const [key, rawMessage] of entries(channel['messages'])) {
      const message = derefLocal(document, rawMessage) ?? {};
      const name = typeof message['name'] === 'string' ? message['name'] : key;
      messageName.set(`${channelId}/${key}`, name);
      if (catalog.messages.some((known) => known.name === name)) continue;
      const id = toIdentifier(name);
      const routingKey = message['x-routing-key'] ?? name;
      if (message['x-routing-key'] === undefined) defaultedKeys.add(name);
      catalog.messages.push({
        name,
        id,
        channel: channelId,
        exchange,
        routingKey: String(routingKey),
        contentType: String(message['contentType'] ?? document['defaultContentType'] ?? 'application/json'),
        payloadSchema:
          schemaRef(catalog, source, document, message['payload'], `${id}Payload`) ?? addEmpty(catalog, `${id}Payload`),
        headersSchema: schemaRef(catalog, source, document, message['headers'], `${id}Headers`),
        partitionKey: partitionKeyOf(source, document, name, message),
      });
    }
  }

  applySendRoutingKeys(catalog, document, operations, messageName, defaultedKeys);

  for (const [operationId, operation] of operations) {
    addOperation(
      catalog,
      document,
      operationId,
      operation,
      operationMessages(document, operation, channelIdOf(operation), messageName),
    );
  }
}

/** A send operation becomes a publisher, a receive operation a queue. */
function addOperation(
  catalog: EventCatalog,
  document: JsonObject,
  operationId: string,
  operation: JsonObject,
  names: string[],
): void {
  const channelId = channelIdOf(operation);
  const channel = derefLocal(document, operation['channel']) ?? {};
  const service = typeof operation['x-service'] === 'string' ? operation['x-service'] : null;
  const exchange = exchangeOf(channel, amqpBinding(channel));
  if (operation['action'] === 'send') {
    const amqp = operationAmqpBinding(operation);
    catalog.publishers.push({
      operation: operationId,
      service,
      channel: channelId,
      exchange,
      deliveryMode: typeof amqp['deliveryMode'] === 'number' ? amqp['deliveryMode'] : null,
      mandatory: amqp['mandatory'] === true,
      messages: names,
    });
    return;
  }
  const queue = isObject(operation['x-queue']) ? operation['x-queue'] : {};
  const queueBinding = amqpBinding(channel)['queue'];
  const bindingKeys = Array.isArray(queue['bindingKeys'])
    ? queue['bindingKeys'].map(String)
    : names.map((name) => catalog.messages.find((message) => message.name === name)?.routingKey ?? name);
  const name = String(queue['name'] ?? (isObject(queueBinding) ? queueBinding['name'] : undefined) ?? operationId);
  const groupId = groupIdOf(binding(operation, 'kafka'));
  if (groupId !== null && groupId !== name) {
    throw new Error(`operation ${operationId}: Kafka groupId "${groupId}" must be the queue's name "${name}"`);
  }
  catalog.queues.push({
    operation: operationId,
    name,
    service,
    channel: channelId,
    exchange,
    durable: queue['durable'] !== false,
    bindingKeys,
    messages: names,
    groupId,
  });
}

/** An object's binding for one protocol (`bindings.<protocol>`), or `{}`. */
function binding(object: JsonObject, protocol: 'amqp' | 'kafka'): JsonObject {
  const bindings = isObject(object['bindings']) ? object['bindings'] : {};
  return isObject(bindings[protocol]) ? bindings[protocol] : {};
}

/** The Kafka operation binding's `groupId` schema names one group: `{ type: string, enum: [name] }` or `const`. */
function groupIdOf(kafka: JsonObject): string | null {
  const schema = kafka['groupId'];
  if (!isObject(schema)) return null;
  const value = schema['const'] ?? (Array.isArray(schema['enum']) ? schema['enum'][0] : undefined);
  return typeof value === 'string' ? value : null;
}

/** `x-partition-key` of a message, checked to be a required string member of its payload. */
function partitionKeyOf(source: string, document: JsonObject, name: string, message: JsonObject): string | null {
  const key = message['x-partition-key'];
  if (key === undefined) return null;
  const payload = derefLocal(document, message['payload']) ?? {};
  const property = isObject(payload['properties']) ? derefLocal(document, payload['properties'][String(key)]) : null;
  const required = Array.isArray(payload['required']) && payload['required'].includes(key);
  if (typeof key !== 'string' || property?.['type'] !== 'string' || !required) {
    throw new Error(`${source}: message ${name}: x-partition-key must name a required string member of its payload`);
  }
  return key;
}

function entries(value: unknown): [string, JsonObject][] {
  return isObject(value)
    ? Object.entries(value).filter((entry): entry is [string, JsonObject] => isObject(entry[1]))
    : [];
}

function amqpBinding(channel: JsonObject): JsonObject {
  return binding(channel, 'amqp');
}

function exchangeOf(channel: JsonObject, amqp: JsonObject): string | null {
  if (amqp['is'] === 'queue') return '';
  const exchange = isObject(amqp['exchange']) ? amqp['exchange']['name'] : undefined;
  const name = exchange ?? channel['address'];
  return typeof name === 'string' ? name : null;
}

/** A send operation of a single message with `bindings.amqp.cc: [key]` gives that message its routing key. */
function applySendRoutingKeys(
  catalog: EventCatalog,
  document: JsonObject,
  operations: [string, JsonObject][],
  messageName: Map<string, string>,
  defaultedKeys: Set<string>,
): void {
  for (const [, operation] of operations) {
    const amqp = operationAmqpBinding(operation);
    const cc = Array.isArray(amqp['cc']) ? amqp['cc'] : [];
    if (operation['action'] !== 'send' || cc.length !== 1) continue;
    const channelId = channelIdOf(operation);
    const names = operationMessages(document, operation, channelId, messageName);
    const message = catalog.messages.find((known) => names.length === 1 && known.name === names[0]);
    if (message && defaultedKeys.has(message.name)) message.routingKey = String(cc[0]);
  }
}

function operationAmqpBinding(operation: JsonObject): JsonObject {
  return binding(operation, 'amqp');
}

function channelIdOf(operation: JsonObject): string {
  const channel = operation['channel'];
  return pointerName(isObject(channel) && typeof channel['$ref'] === 'string' ? channel['$ref'] : '');
}

function operationMessages(
  document: JsonObject,
  operation: JsonObject,
  channelId: string,
  messageName: Map<string, string>,
): string[] {
  if (!Array.isArray(operation['messages'])) {
    return [...messageName].filter(([key]) => key.startsWith(`${channelId}/`)).map(([, name]) => name);
  }
  return operation['messages'].map((reference: unknown) => {
    const ref = isObject(reference) && typeof reference['$ref'] === 'string' ? reference['$ref'] : '';
    const known = messageName.get(`${channelId}/${pointerName(ref)}`);
    const message = derefLocal(document, reference);
    return known ?? (typeof message?.['name'] === 'string' ? message['name'] : pointerName(ref));
  });
}

/** Returns the `$defs` key of a message payload/headers schema, registering inline schemas under `fallback`. */
function schemaRef(
  catalog: EventCatalog,
  source: string,
  document: JsonObject,
  value: unknown,
  fallback: string,
): string | null {
  if (!isObject(value)) return null;
  const schema = isObject(value['schema']) && typeof value['schemaFormat'] === 'string' ? value['schema'] : value;
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith(COMPONENT_SCHEMAS)) return ref.slice(COMPONENT_SCHEMAS.length);
  if (typeof ref === 'string') return schemaRef(catalog, source, document, derefLocal(document, schema), fallback);
  addDef(catalog, source, fallback, schema);
  return fallback;
}

function addEmpty(catalog: EventCatalog, name: string): string {
  catalog.defs[name] ??= {};
  return name;
}

function addDef(catalog: EventCatalog, source: string, name: string, schema: unknown): void {
  const clean = cleanSchema(schema, (ref) =>
    ref.startsWith(COMPONENT_SCHEMAS) ? `#/$defs/${ref.slice(COMPONENT_SCHEMAS.length)}` : ref,
  ) as JsonObject;
  const known = catalog.defs[name];
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(clean)) {
    throw new Error(`${source}: schema "${name}" differs from a schema of the same name in another AsyncAPI file`);
  }
  catalog.defs[name] = clean;
}

export type { EventCatalog };
