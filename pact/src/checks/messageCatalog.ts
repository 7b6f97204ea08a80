import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ContractsLayout } from '../layout.ts';

/** One message of the AsyncAPI specs, as the message checks need it. */
export interface CatalogMessage {
  name: string;
  /** AsyncAPI file name without extension. */
  spec: string;
  routingKey: string | undefined;
  contentType: string | undefined;
  /** Names under `$defs` of the generated `events/schemas.json`. */
  payloadSchema: string | undefined;
  headersSchema: string | undefined;
  /** The Kafka topic of the channel that carries it (the channel's Kafka binding), if any. */
  kafkaTopic: string | undefined;
  /** `x-partition-key`: the payload member whose value is the Kafka record key. */
  partitionKey: string | undefined;
  /** Services that send it (`x-service` of send operations) and receive it (receive operations). */
  senders: string[];
  receivers: string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const refName = (node: unknown): string | undefined =>
  isObject(node) && typeof node['$ref'] === 'string' ? node['$ref'].split('/').pop() : undefined;

/**
 * Reads the messages of every `asyncapi/*.yaml` of a contracts folder: names, routing keys,
 * Kafka topics and partition keys, content types, the generated schema names of payload and headers, and which services send
 * and receive each (from the operations' `x-service`).
 */
export function readMessageCatalog(layout: ContractsLayout): Map<string, CatalogMessage> {
  const dir = path.join(layout.contractsDir, 'asyncapi');
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
    : [];
  const catalog = new Map<string, CatalogMessage>();
  for (const file of files) {
    const spec = file.replace(/\.ya?ml$/, '');
    const document: unknown = parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!isObject(document)) continue;
    const components = isObject(document['components']) ? document['components'] : {};
    const messages = isObject(components['messages']) ? components['messages'] : {};
    const defaultContentType =
      typeof document['defaultContentType'] === 'string' ? document['defaultContentType'] : undefined;
    for (const [key, message] of Object.entries(messages)) {
      if (!isObject(message)) continue;
      const name = typeof message['name'] === 'string' ? message['name'] : key;
      catalog.set(name, {
        name,
        spec,
        routingKey: typeof message['x-routing-key'] === 'string' ? message['x-routing-key'] : undefined,
        contentType: typeof message['contentType'] === 'string' ? message['contentType'] : defaultContentType,
        payloadSchema: refName(message['payload']),
        headersSchema: refName(message['headers']),
        kafkaTopic: undefined,
        partitionKey: typeof message['x-partition-key'] === 'string' ? message['x-partition-key'] : undefined,
        senders: [],
        receivers: [],
      });
    }
    const channels = isObject(document['channels']) ? document['channels'] : {};
    for (const channel of Object.values(channels)) {
      if (!isObject(channel)) continue;
      const bindings = isObject(channel['bindings']) ? channel['bindings'] : {};
      const kafka = isObject(bindings['kafka']) ? bindings['kafka'] : undefined;
      if (!kafka) continue;
      const topic = typeof kafka['topic'] === 'string' ? kafka['topic'] : channel['address'];
      const carried = isObject(channel['messages']) ? Object.values(channel['messages']) : [];
      for (const ref of carried) {
        const entry = catalog.get(refName(ref) ?? '');
        if (entry && typeof topic === 'string') entry.kafkaTopic = topic;
      }
    }
    const operations = isObject(document['operations']) ? document['operations'] : {};
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || typeof operation['x-service'] !== 'string') continue;
      const service = operation['x-service'];
      const refs = Array.isArray(operation['messages']) ? operation['messages'] : [];
      for (const ref of refs) {
        const entry = catalog.get(refName(ref) ?? '');
        if (!entry) continue;
        if (operation['action'] === 'send') entry.senders.push(service);
        if (operation['action'] === 'receive') entry.receivers.push(service);
      }
    }
  }
  return catalog;
}
