import { context } from '@opentelemetry/api';
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { AppError } from '../errors/AppError.ts';
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
