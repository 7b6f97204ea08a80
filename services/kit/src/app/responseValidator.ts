import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { findMediaType } from './mediaTypes.ts';
import type { JsonSchema, OpenApiDocument, OperationSpec, ResponseObject } from './openApiDocument.ts';

/**
 * What a service does with a response its spec does not allow: `enforce` answers a 500 instead
 * (so the test that caused it fails) and logs why; `log` sends it and logs why; `off` skips the
 * check. Tests and the systems the harness starts run `enforce`; production may opt in to `log`.
 */
export type ResponseValidationMode = 'off' | 'log' | 'enforce';

export function responseValidationMode(value: string | undefined): ResponseValidationMode {
  if (value === undefined || value === '' || value === 'off') return 'off';
  if (value === 'log' || value === 'enforce') return value;
  throw new Error(`HARNESS_VALIDATE_RESPONSES must be off, log or enforce, got "${value}"`);
}

/** Why a response does not match its operation, or [] when it does. */
export type ResponseCheck = (status: number, contentType: string | undefined, body: unknown) => string[];

/**
 * Compiles the response check of one operation: the status must be declared (exactly, as `4XX`,
 * or by `default`), and a JSON body must match the declared schema of its media type; a body
 * where the spec declares none, or none where it declares one, is a mismatch too.
 */
export function compileResponseCheck(doc: OpenApiDocument, operation: OperationSpec, ajv: Ajv2020): ResponseCheck {
  const validators = new Map<string, Map<string, ValidateFunction>>();
  for (const [status, response] of Object.entries(operation.responses)) {
    const byType = new Map<string, ValidateFunction>();
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      if (media.schema !== undefined) byType.set(mediaType, ajv.compile(withComponents(doc, media.schema)));
    }
    validators.set(status, byType);
  }
  const where = `${operation.method} ${operation.path}`;
  return (status, contentType, body) => {
    const key = declaredStatus(operation.responses, status);
    if (key === undefined)
      return [
        `${where} answered ${status}, which its spec does not declare (${Object.keys(operation.responses).join(', ')})`,
      ];
    const declared = operation.responses[key] ?? {};
    const types = Object.keys(declared.content ?? {});
    if (body === undefined) {
      return types.length === 0
        ? []
        : [`${where} answered ${status} without the body its spec declares (${types.join(', ')})`];
    }
    if (types.length === 0) return [`${where} answered ${status} with a body its spec does not declare`];
    const mediaType = findMediaType(types, (contentType ?? 'application/json').split(';')[0]?.trim() ?? '');
    if (mediaType === undefined)
      return [
        `${where} answered ${status} as ${contentType ?? '(no content type)'}, its spec declares ${types.join(', ')}`,
      ];
    const validate = validators.get(key)?.get(mediaType);
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${where} ${status} body ${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
    );
  };
}

/** The response key a status falls under: `201`, else `2XX`, else `default`. */
function declaredStatus(responses: Readonly<Record<string, ResponseObject>>, status: number): string | undefined {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact[0]}XX`;
  if (range in responses) return range;
  return 'default' in responses ? 'default' : undefined;
}

function withComponents(doc: OpenApiDocument, schema: JsonSchema): Record<string, unknown> {
  return typeof schema === 'boolean'
    ? { allOf: [schema], components: doc.components }
    : { ...schema, components: doc.components };
}
