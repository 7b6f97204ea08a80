import { compile, type JSONSchema } from 'json-schema-to-typescript';
import type { EventCatalog } from './event-catalog-types.ts';
import { toIdentifier } from './format-output.ts';

/** TypeScript type name of each `$defs` entry (what json-schema-to-typescript is told to use). */
export function typeNames(catalog: EventCatalog): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>(['MessagePayloads', 'MessageHeaders', 'MessageName']);
  for (const key of Object.keys(catalog.defs)) {
    let name = toIdentifier(key);
    for (let n = 2; used.has(name); n += 1) name = `${toIdentifier(key)}${n}`;
    used.add(name);
    names.set(key, name);
  }
  return names;
}

/** Body of `models.ts`: one type per schema, message maps, and the broker constants. */
export async function eventModelsSource(catalog: EventCatalog): Promise<string> {
  const names = typeNames(catalog);
  const $defs = Object.fromEntries(
    Object.entries(catalog.defs).map(([key, schema]) => [key, { ...schema, title: names.get(key) }]),
  );
  const root = {
    title: 'MessagePayloads',
    description: 'Payload type of each message, by message name.',
    type: 'object',
    additionalProperties: false,
    required: catalog.messages.map((message) => message.name),
    properties: Object.fromEntries(
      catalog.messages.map((message) => [message.name, { $ref: `#/$defs/${message.payloadSchema}` }]),
    ),
    $defs,
  };
  const types = await compile(root as JSONSchema, 'MessagePayloads', {
    bannerComment: '',
    format: false,
    unreachableDefinitions: true,
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: true,
    declareExternallyReferenced: true,
  });
  const cleaned = types
    .replace(/\/\*\*\n \* This interface was referenced by .*\n \* via the .*\n \*\/\n/g, '')
    .replace(/\n \*[ \t]*\n \* This interface was referenced by .*\n \* via the .*/g, '');
  const headers = catalog.messages.map((message) => {
    const type = message.headersSchema === null ? 'Record<string, unknown>' : names.get(message.headersSchema);
    return `  ${JSON.stringify(message.name)}: ${type};`;
  });
  return [
    cleaned.trim(),
    '',
    '/** Headers type of each message, by message name. */',
    'export interface MessageHeaders {',
    ...headers,
    '}',
    '',
    'export type MessageName = keyof MessagePayloads;',
    '',
    ...constants(catalog),
  ].join('\n');
}

function constant(name: string, doc: string, value: unknown): string[] {
  return [`/** ${doc} */`, `export const ${name} = ${JSON.stringify(value, null, 2)} as const;`, ''];
}

function constants(catalog: EventCatalog): string[] {
  const byKey = <T, V>(items: readonly T[], key: (item: T) => string, value: (item: T) => V) =>
    Object.fromEntries(items.map((item) => [key(item), value(item)]));
  const messages = byKey(
    catalog.messages,
    (message) => message.name,
    ({ id: _id, ...message }) => message,
  );
  return [
    ...constant(
      'messageNames',
      'Every message name.',
      catalog.messages.map((message) => message.name),
    ),
    ...constant('messages', 'Channel, exchange, routing key and schemas of each message.', messages),
    ...constant(
      'routingKeys',
      'Routing key of each message.',
      byKey(
        catalog.messages,
        (m) => m.name,
        (m) => m.routingKey,
      ),
    ),
    ...constant(
      'exchanges',
      'Exchanges to declare, by channel id.',
      byKey(
        catalog.exchanges,
        (e) => e.channel,
        ({ channel: _c, ...e }) => e,
      ),
    ),
    ...constant(
      'topics',
      'Kafka topics, by channel id (the channel Kafka bindings).',
      byKey(
        catalog.topics,
        (t) => t.channel,
        ({ channel: _c, ...t }) => t,
      ),
    ),
    ...constant(
      'queues',
      'Queue of each receive operation, by operation id.',
      byKey(
        catalog.queues,
        (q) => q.operation,
        ({ operation: _o, ...q }) => q,
      ),
    ),
    ...constant(
      'publishers',
      'Send operations, by operation id.',
      byKey(
        catalog.publishers,
        (p) => p.operation,
        ({ operation: _o, ...p }) => p,
      ),
    ),
  ];
}
