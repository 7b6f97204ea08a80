import { Ajv, type ErrorObject } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { ConfigError, type ConfigProblem } from './ConfigError.ts';

type ConfigValueSchema =
  | {
      type: 'string';
      enum?: readonly string[];
      default?: string;
      format?: string;
      minLength?: number;
      pattern?: string;
    }
  | { type: 'integer' | 'number'; default?: number; minimum?: number; maximum?: number }
  | { type: 'boolean'; default?: boolean };

/** A flat JSON schema over environment variables (one property per variable). */
export interface ConfigSchema {
  type: 'object';
  properties: Readonly<Record<string, ConfigValueSchema>>;
  required?: readonly string[];
}

type ValueOf<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'integer' | 'number' }
      ? number
      : S extends { type: 'boolean' }
        ? boolean
        : never;

type RequiredKeys<S extends ConfigSchema> =
  | (S['required'] extends readonly (infer R)[] ? R & keyof S['properties'] : never)
  | {
      [K in keyof S['properties']]: S['properties'][K] extends { default: unknown } ? K : never;
    }[keyof S['properties']];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The typed config a schema describes: required or defaulted variables are always present. */
export type ConfigOf<S extends ConfigSchema> = Simplify<
  { [K in RequiredKeys<S>]: ValueOf<S['properties'][K]> } & {
    [K in Exclude<keyof S['properties'], RequiredKeys<S>>]?: ValueOf<S['properties'][K]>;
  }
>;

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: true });
addFormatsPlugin.default(ajv);

/**
 * Validates environment variables against a schema (with type coercion and defaults) and returns
 * the typed config. Empty strings count as unset. Throws a ConfigError naming every bad or
 * missing variable. Only a service's main.ts passes `process.env` here.
 */
export function loadConfig<const S extends ConfigSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOf<S> {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const validate = ajv.compile({ ...schema, additionalProperties: false });
  const valid = validate(input);
  const problems = [...(valid ? [] : describeErrors(validate.errors ?? [])), ...brokerProblems(schema, input)];
  if (problems.length > 0) throw new ConfigError(problems);
  return input as ConfigOf<S>;
}

/**
 * A schema that requires BROKER (`brokerSettings`) requires the address of the broker it picks:
 * AMQP_URL on RabbitMQ (the default), KAFKA_BROKERS on Kafka.
 */
function brokerProblems(schema: ConfigSchema, input: Record<string, unknown>): ConfigProblem[] {
  if (!schema.required?.includes('BROKER')) return [];
  const kind = input.BROKER ?? 'rabbitmq';
  const needed = kind === 'kafka' ? 'KAFKA_BROKERS' : kind === 'rabbitmq' ? 'AMQP_URL' : undefined;
  if (needed === undefined || input[needed] !== undefined) return [];
  return [{ variable: needed, message: `is required (BROKER=${String(kind)})` }];
}

function describeErrors(errors: readonly ErrorObject[]): ConfigProblem[] {
  return errors.map((error) => {
    if (error.keyword === 'required') {
      return { variable: String(error.params.missingProperty), message: 'is required' };
    }
    return { variable: error.instancePath.replace(/^\//, ''), message: error.message ?? 'is invalid' };
  });
}
