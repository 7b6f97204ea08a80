import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '../src/config/ConfigError.ts';
import { loadConfig } from '../src/config/loadConfig.ts';

const schema = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000 },
    DATABASE_URL: { type: 'string', minLength: 1 },
    LOG_LEVEL: { type: 'string', enum: ['debug', 'info', 'warn'], default: 'info' },
    SERVICE_TOKEN: { type: 'string' },
    OUTBOX_ENABLED: { type: 'boolean', default: true },
  },
  required: ['DATABASE_URL'],
} as const;

describe('loadConfig', () => {
  it('coerces strings, applies defaults and types the result', () => {
    const config = loadConfig(schema, {
      PORT: '8080',
      DATABASE_URL: 'postgres://db/x',
      OUTBOX_ENABLED: 'false',
      HOME: '/root',
    });
    expect(config).toEqual({ PORT: 8080, DATABASE_URL: 'postgres://db/x', LOG_LEVEL: 'info', OUTBOX_ENABLED: false });
    expectTypeOf(config).toEqualTypeOf<{
      PORT: number;
      DATABASE_URL: string;
      LOG_LEVEL: 'debug' | 'info' | 'warn';
      OUTBOX_ENABLED: boolean;
      SERVICE_TOKEN?: string;
    }>();
  });

  it('names every bad or missing variable at once', () => {
    let error: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: '' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    expect((error as ConfigError).message).toContain('DATABASE_URL is required');
  });
});
