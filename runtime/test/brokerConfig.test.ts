import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { brokerOf, ConfigError, loadConfig, proxiesOf } from '../src/index.ts';

/** A config of one broker client in a scratch folder; `infrastructure` is pasted in as written. */
function scratch(infrastructure = ''): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-broker-'));
  const file = path.join(dir, 'harness.config.ts');
  fs.writeFileSync(
    file,
    `export default { name: 'one', services: { a: { command: 'a-server', broker: true } }, ${infrastructure} };\n`,
  );
  return file;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the broker is config data', () => {
  it('is RabbitMQ when the config names none', async () => {
    vi.stubEnv('HARNESS_BROKER', '');
    const config = await loadConfig(scratch());
    expect(config.broker).toEqual({ kind: 'rabbitmq' });
    expect(config.topology.broker).toBe('rabbitmq');
  });

  it('is Kafka when infrastructure.broker.kind says so, and each broker client gets a proxy to Kafka', async () => {
    vi.stubEnv('HARNESS_BROKER', '');
    const config = await loadConfig(scratch(`infrastructure: { broker: { kind: 'kafka' } }`));
    expect(config.broker).toEqual({ kind: 'kafka' });
    expect(proxiesOf(config.topology)).toEqual([{ name: 'a-kafka', kind: 'kafka', from: 'a', to: 'kafka' }]);
  });

  it('refuses another broker kind, naming the field and the kinds there are', async () => {
    const error = await loadConfig(scratch(`infrastructure: { broker: { kind: 'nats' } }`)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/infrastructure\.broker\.kind: expected "rabbitmq" or "kafka"/);
  });

  it('HARNESS_BROKER wins over the config', async () => {
    vi.stubEnv('HARNESS_BROKER', 'kafka');
    expect((await loadConfig(scratch())).broker).toEqual({ kind: 'kafka' });
    vi.stubEnv('HARNESS_BROKER', 'rabbitmq');
    expect((await loadConfig(scratch(`infrastructure: { broker: { kind: 'kafka' } }`))).broker).toEqual({
      kind: 'rabbitmq',
    });
  });

  it('an unknown HARNESS_BROKER is an error naming the variable and the allowed values', () => {
    expect(() => brokerOf('rabbitmq', { HARNESS_BROKER: 'nats' })).toThrow(
      'HARNESS_BROKER must be "rabbitmq" or "kafka", got "nats"',
    );
  });
});
