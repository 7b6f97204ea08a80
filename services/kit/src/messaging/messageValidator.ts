import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import type { MessageValidation } from './startConsumer.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormatsPlugin.default(ajv);

/**
 * A consumer's `validate` from JSON schemas of the message payload and headers (e.g. taken from
 * the AsyncAPI document, with `$ref`s already resolved).
 */
export function messageValidator(schemas: {
  payload: object;
  headers?: object;
}): (payload: unknown, headers: Readonly<Record<string, unknown>>) => MessageValidation {
  const validatePayload = ajv.compile(schemas.payload);
  const validateHeaders = schemas.headers === undefined ? undefined : ajv.compile(schemas.headers);
  return (payload, headers) => {
    const errors: string[] = [];
    if (!validatePayload(payload)) {
      errors.push(
        ...(validatePayload.errors ?? []).map((e) => `payload${e.instancePath} ${e.message ?? 'is invalid'}`),
      );
    }
    if (validateHeaders && !validateHeaders(headers)) {
      errors.push(
        ...(validateHeaders.errors ?? []).map((e) => `headers${e.instancePath} ${e.message ?? 'is invalid'}`),
      );
    }
    return errors.length === 0 ? { ok: true } : { ok: false, errors };
  };
}
