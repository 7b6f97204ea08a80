import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const kitEntry = path.resolve(import.meta.dirname, '../src/index.ts');
const kafkaEntry = path.resolve(import.meta.dirname, '../src/messaging/kafka/index.ts');

/**
 * Runs `body` in a fresh Node that records every module it resolves; prints how many of them are
 * Kafka's client library at each `mark(label)`.
 */
async function kafkaModulesLoaded(body: string): Promise<Record<string, number>> {
  const script = [
    `import { registerHooks } from 'node:module';`,
    `const resolved = [];`,
    `registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); resolved.push(result.url); return result; } });`,
    `const marks = {};`,
    `const mark = (label) => { marks[label] = resolved.filter((url) => url.includes('/@platformatic/kafka/')).length; };`,
    body,
    `console.log(JSON.stringify(marks));`,
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

describe("Kafka's client is loaded only by a service on Kafka", () => {
  it('a service on RabbitMQ imports the kit and makes its bus without loading it', async () => {
    const marks = await kafkaModulesLoaded(
      [
        `const kit = await import(${JSON.stringify(kitEntry)});`,
        `mark('kit imported');`,
        `const bus = kit.messageBusOf({ BROKER: 'rabbitmq', AMQP_URL: 'amqp://127.0.0.1:1' });`,
        `mark('rabbitmq bus made');`,
        `if (bus.kind !== 'rabbitmq') throw new Error(bus.kind);`,
      ].join('\n'),
    );
    expect(marks).toEqual({ 'kit imported': 0, 'rabbitmq bus made': 0 });
  });

  it('a bus on Kafka loads it at its first call and works as the Kafka bus', async () => {
    const marks = await kafkaModulesLoaded(
      [
        `const kit = await import(${JSON.stringify(kitEntry)});`,
        `const bus = kit.messageBusOf({ BROKER: 'kafka', KAFKA_BROKERS: '127.0.0.1:1' });`,
        `mark('kafka bus made');`,
        `if (bus.kind !== 'kafka' || bus.isConnected()) throw new Error('a new Kafka bus is not connected');`,
        // Declaring before the broker answers only registers the topology (as kafkaBus does).
        `await bus.declare({ exchange: 'orders.events', queues: [] });`,
        `mark('declared');`,
        `await bus.close();`,
        `const direct = await import(${JSON.stringify(kafkaEntry)});`,
        `if (typeof direct.KafkaPublisher !== 'function') throw new Error('@harness/kit/kafka has no KafkaPublisher');`,
      ].join('\n'),
    );
    expect(marks['kafka bus made']).toBe(0);
    expect(marks.declared).toBeGreaterThan(0);
  });
});
