import type { IncomingHttpHeaders } from 'node:http';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { AppError, type FieldError } from '../errors/AppError.ts';
import type { JsonSchema, OpenApiDocument, OperationSpec, ParameterObject } from './openApiDocument.ts';
import { mediaTypeOf, findMediaType } from './mediaTypes.ts';

interface RawRequestParts {
  params: unknown;
  query: unknown;
  headers: IncomingHttpHeaders;
  body: unknown;
  contentType: string | undefined;
}

/** The request as the handler sees it: validated, coerced, defaults applied. */
interface ValidatedRequestParts {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** Declared headers only, keyed by their names in the spec (`Idempotency-Key`). */
  headers: Record<string, unknown>;
  body: unknown;
}

export type OperationValidator = (parts: RawRequestParts) => ValidatedRequestParts;

type Location = 'path' | 'query' | 'header';

/** Two Ajv instances per app: parameters are strings on the wire and get coerced; bodies do not. */
export function createSchemaCompilers(): { parameters: Ajv2020; body: Ajv2020 } {
  const make = (coerce: boolean) => {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      useDefaults: true,
      coerceTypes: coerce ? 'array' : false,
    });
    addFormatsPlugin.default(ajv);
    return ajv;
  };
  return { parameters: make(true), body: make(false) };
}

/**
 * Compiles the request validation of one operation from its spec (parameters and request body),
 * keeping the document's components next to each schema so local `$ref`s resolve. The returned
 * function throws VALIDATION_FAILED (or IDEMPOTENCY_KEY_MISSING when the Idempotency-Key header
 * is missing) listing every error, a string holding U+0000 among them.
 */
export function compileOperationValidator(
  doc: OpenApiDocument,
  operation: OperationSpec,
  compilers: { parameters: Ajv2020; body: Ajv2020 },
): OperationValidator {
  const withComponents = (schema: JsonSchema): Record<string, unknown> =>
    typeof schema === 'boolean'
      ? { allOf: [schema], components: doc.components }
      : { ...schema, components: doc.components };
  const locations = (['path', 'query', 'header'] as const).map((location) => {
    const parameters = operation.parameters.filter((p) => p.in === location);
    return {
      location,
      parameters,
      validate: compilers.parameters.compile(parametersSchema(parameters, withComponents)),
    };
  });
  const bodySchemas = new Map<string, ValidateFunction>();
  for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
    if (media.schema !== undefined) bodySchemas.set(mediaType, compilers.body.compile(withComponents(media.schema)));
  }

  return (parts) => {
    const errors: FieldError[] = [];
    const values: Record<Location, Record<string, unknown>> = {
      path: { ...(parts.params as Record<string, unknown>) },
      query: { ...(parts.query as Record<string, unknown>) },
      header: {},
    };
    for (const parameter of operation.parameters.filter((p) => p.in === 'header')) {
      const value = parts.headers[parameter.name.toLowerCase()];
      if (value !== undefined) values.header[parameter.name.toLowerCase()] = value;
    }
    for (const { location, parameters, validate } of locations) {
      if (!validate(values[location])) errors.push(...fieldErrors(validate.errors ?? [], location, parameters));
    }

    const body = parts.body;
    const requestBody = operation.requestBody;
    if (requestBody && body === undefined) {
      if (requestBody.required) errors.push({ in: 'body', path: '', message: 'request body is required' });
    } else if (requestBody) {
      const mediaType = findMediaType(Object.keys(requestBody.content ?? {}), mediaTypeOf(parts.contentType));
      const validate = mediaType === undefined ? undefined : bodySchemas.get(mediaType);
      if (validate && !validate(body)) errors.push(...fieldErrors(validate.errors ?? [], 'body', []));
    }

    // PostgreSQL cannot store U+0000 in text: refused here, by name, instead of a 500 from the database.
    errors.push(
      ...nulCharacters(values.path, 'path', ''),
      ...nulCharacters(values.query, 'query', ''),
      ...nulCharacters(values.header, 'header', '').map((error) => ({
        ...error,
        path: error.path.replace(/^\/([^/]+)/, (_m, n: string) => `/${headerName(operation.parameters, n)}`),
      })),
      ...nulCharacters(body, 'body', ''),
    );
    if (errors.length > 0) throw validationError(errors);
    const headers: Record<string, unknown> = {};
    for (const parameter of operation.parameters.filter((p) => p.in === 'header')) {
      const value = values.header[parameter.name.toLowerCase()];
      if (value !== undefined) headers[parameter.name] = value;
    }
    return { params: values.path, query: values.query, headers, body };
  };
}

const headerName = (parameters: readonly ParameterObject[], lowerCased: string): string =>
  parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === lowerCased)?.name ?? lowerCased;

/** Every string (value or object key) holding U+0000, as a field error at its JSON pointer. */
function nulCharacters(value: unknown, location: Location | 'body', path: string): FieldError[] {
  const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ in: location, path, message: 'must not contain U+0000 (NUL)' }] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulCharacters(item, location, `${path}/${index}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000')
      ? [
          {
            in: location,
            path: `${path}/${escape(key.replaceAll('\u0000', '\\u0000'))}`,
            message: 'is a name with U+0000 (NUL)',
          },
        ]
      : nulCharacters(item, location, `${path}/${escape(key)}`),
  );
}

function parametersSchema(
  parameters: readonly ParameterObject[],
  withComponents: (schema: JsonSchema) => Record<string, unknown>,
): Record<string, unknown> {
  const key = (p: ParameterObject) => (p.in === 'header' ? p.name.toLowerCase() : p.name);
  return withComponents({
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [key(p), p.schema ?? {}])),
    required: parameters.filter((p) => p.required || p.in === 'path').map(key),
  });
}

function fieldErrors(
  errors: readonly ErrorObject[],
  location: Location | 'body',
  parameters: readonly ParameterObject[],
): FieldError[] {
  const specName = (name: string) =>
    location === 'header' ? (parameters.find((p) => p.name.toLowerCase() === name)?.name ?? name) : name;
  return errors.map((error) => {
    if (error.keyword === 'required') {
      const missing = specName(String(error.params.missingProperty));
      return { in: location, path: `${error.instancePath}/${missing}`, message: 'is required' };
    }
    if (error.keyword === 'additionalProperties') {
      const unknown = String(error.params.additionalProperty);
      return { in: location, path: `${error.instancePath}/${unknown}`, message: 'is not an allowed field' };
    }
    const path =
      location === 'header'
        ? error.instancePath.replace(/^\/([^/]+)/, (_m, n: string) => `/${specName(n)}`)
        : error.instancePath;
    return { in: location, path, message: error.message ?? 'is invalid' };
  });
}

function validationError(errors: FieldError[]): AppError {
  // Missing, not malformed: a key that is too long or of the wrong form is a VALIDATION_FAILED naming the header.
  const idempotencyKeyAtFault = errors.some(
    (error) =>
      error.in === 'header' && error.path.toLowerCase() === '/idempotency-key' && error.message === 'is required',
  );
  const detail = errors.map((error) => `${error.in} ${error.path || '(root)'} ${error.message}`).join('; ');
  return new AppError(idempotencyKeyAtFault ? 'IDEMPOTENCY_KEY_MISSING' : 'VALIDATION_FAILED', { detail, errors });
}
