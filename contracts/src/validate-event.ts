import type { ErrorObject } from 'ajv';
import {
  messageValidators,
  type MessageHeaders,
  type MessageName,
  type MessagePayloads,
} from '../generated/events/index.ts';

/** A message whose headers and payload match the schemas of its `eventType`. */
export type ValidEvent = {
  [Name in MessageName]: { eventType: Name; headers: MessageHeaders[Name]; payload: MessagePayloads[Name] };
}[MessageName];

export interface EventValidationError {
  /** `headers` or `payload`. */
  part: 'headers' | 'payload';
  /** JSON Pointer of the offending value inside that part (`/items/0/quantity`). */
  path: string;
  message: string;
}

export type EventValidation = { ok: true; event: ValidEvent } | { ok: false; errors: EventValidationError[] };

function isMessageName(value: unknown): value is MessageName {
  return typeof value === 'string' && Object.hasOwn(messageValidators, value);
}

function toErrors(
  part: EventValidationError['part'],
  errors: ErrorObject[] | null | undefined,
): EventValidationError[] {
  return (errors ?? []).map((error) => ({ part, path: error.instancePath, message: error.message ?? error.keyword }));
}

/**
 * Validates a received message: picks the schemas from the `eventType` header, then checks
 * headers and payload. Unknown event types and invalid messages come back as errors, never thrown.
 */
export function validateEvent(headers: unknown, payload: unknown): EventValidation {
  const eventType =
    typeof headers === 'object' && headers !== null ? (headers as Record<string, unknown>)['eventType'] : undefined;
  if (!isMessageName(eventType)) {
    const known = Object.keys(messageValidators).join(', ');
    return {
      ok: false,
      errors: [
        {
          part: 'headers',
          path: '/eventType',
          message: `unknown eventType ${JSON.stringify(eventType)} (known: ${known})`,
        },
      ],
    };
  }
  const validators = messageValidators[eventType];
  const headersValid = validators.headers(headers);
  const headerErrors = headersValid ? [] : toErrors('headers', validators.headers.errors);
  const payloadValid = validators.payload(payload);
  const payloadErrors = payloadValid ? [] : toErrors('payload', validators.payload.errors);
  if (headerErrors.length > 0 || payloadErrors.length > 0)
    return { ok: false, errors: [...headerErrors, ...payloadErrors] };
  return { ok: true, event: { eventType, headers, payload } as ValidEvent };
}
