import { context } from '@opentelemetry/api';
import type { FastifyInstance, onRequestAsyncHookHandler, onSendAsyncHookHandler } from 'fastify';
import { AppError } from '../errors/AppError.ts';
import { toProblem } from '../errors/problem.ts';
import type { AnyHandler, HandlerRequest, HandlerResponse } from './handlerTypes.ts';
import { findMediaType, hasBody, mediaTypeOf } from './mediaTypes.ts';
import type { OpenApiDocument, OperationSpec } from './openApiDocument.ts';
import { requestContext } from './requestTracing.ts';
import { compileOperationValidator, createSchemaCompilers } from './requestValidator.ts';
import { compileResponseCheck, type ResponseValidationMode } from './responseValidator.ts';
import { securityHook, type SecurityHandler } from './securityHandlers.ts';

export interface OperationRoutesOptions {
  doc: OpenApiDocument;
  operations: readonly OperationSpec[];
  handlers: Readonly<Record<string, AnyHandler>>;
  routePrefix: string;
  securityHandlers: Readonly<Record<string, SecurityHandler>>;
  /** Whether (and how) each handler's response is checked against its operation (see responseValidator). */
  validateResponses: ResponseValidationMode;
}

/**
 * Registers one route per operation: security (onRequest), media type check (onRequest, 415),
 * request validation from the spec, then the operation's handler inside the request's trace
 * context. Throws at startup when a handler is missing or names no operation.
 */
export function registerOperationRoutes(app: FastifyInstance, options: OperationRoutesOptions): void {
  const { doc, operations, handlers } = options;
  const ids = new Set(operations.map((operation) => operation.operationId));
  const missing = operations.filter((operation) => !handlers[operation.operationId]).map((o) => o.operationId);
  const unknown = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length > 0) throw new Error(`no handler for operation(s): ${missing.join(', ')}`);
  if (unknown.length > 0) throw new Error(`handler(s) for no operation of the spec: ${unknown.join(', ')}`);

  const compilers = createSchemaCompilers();
  for (const operation of operations) {
    const validate = compileOperationValidator(doc, operation, compilers);
    const checkResponse =
      options.validateResponses === 'off' ? undefined : compileResponseCheck(doc, operation, compilers.body);
    const handler = handlers[operation.operationId] as unknown as (request: HandlerRequest) => Promise<HandlerResponse>;
    const onRequest = [securityHook(operation, options.securityHandlers), mediaTypeHook(operation)].filter(
      (hook): hook is onRequestAsyncHookHandler => hook !== undefined,
    );
    app.route({
      method: operation.method,
      url: `${options.routePrefix}${operation.routeUrl}`,
      onRequest,
      ...(checkResponse
        ? { onSend: errorResponseCheck(operation.operationId, checkResponse, options.validateResponses) }
        : {}),
      handler: async (request, reply) => {
        const parts = validate({
          params: request.params,
          query: request.query,
          headers: request.headers,
          body: request.body,
          contentType: request.headers['content-type'],
        });
        const run = () => handler({ ...parts, operationId: operation.operationId, log: request.log, request });
        const traceContext = requestContext(request);
        const result = await (traceContext ? context.with(traceContext, run) : run());
        const mismatches = checkResponse?.(result.status, contentTypeOf(result.headers), result.body) ?? [];
        if (mismatches.length > 0) {
          request.log.error({ operationId: operation.operationId, mismatches }, 'response does not match the spec');
          if (options.validateResponses === 'enforce')
            throw new AppError('INTERNAL', {
              detail: `The response does not match the spec: ${mismatches.join('; ')}`,
            });
        }
        reply.code(result.status);
        for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, String(value));
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  }
}

/**
 * The error answers of an operation (a refused request, a dependency outage, a missing key: the
 * kit's problem+json, sent by the error handler, not returned by the handler) are checked against
 * the operation's spec as well. A 500 is not: it already says the service is at fault.
 */
function errorResponseCheck(
  operationId: string,
  checkResponse: ReturnType<typeof compileResponseCheck>,
  mode: ResponseValidationMode,
): onSendAsyncHookHandler {
  return async (request, reply, payload) => {
    const status = reply.statusCode;
    if (status < 400 || status === 500) return payload;
    const contentType = reply.getHeader('content-type');
    const text = Buffer.isBuffer(payload)
      ? payload.toString('utf8')
      : typeof payload === 'string'
        ? payload
        : undefined;
    if (text === undefined) return payload;
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      return payload;
    }
    const mismatches = checkResponse(status, typeof contentType === 'string' ? contentType : undefined, body);
    if (mismatches.length === 0) return payload;
    request.log.error({ operationId, mismatches }, 'error response does not match the spec');
    if (mode !== 'enforce') return payload;
    const error = new AppError('INTERNAL', {
      detail: `The response does not match the spec: ${mismatches.join('; ')}`,
    });
    reply.code(error.status);
    reply.removeHeader('retry-after');
    return Buffer.from(JSON.stringify(toProblem(error, request.url.split('?')[0])));
  };
}

function contentTypeOf(headers: HandlerResponse['headers']): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type');
  return entry === undefined ? undefined : String(entry[1]);
}

function mediaTypeHook(operation: OperationSpec): onRequestAsyncHookHandler | undefined {
  const declared = Object.keys(operation.requestBody?.content ?? {});
  if (declared.length === 0) return undefined;
  return async (request) => {
    if (!hasBody(request.headers)) return;
    if (findMediaType(declared, mediaTypeOf(request.headers['content-type'])) === undefined) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: `Send the body as ${declared.join(' or ')}.` });
    }
  };
}
