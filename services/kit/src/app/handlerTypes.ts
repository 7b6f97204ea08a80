import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

/** What a handler receives: the validated request parts plus the request itself. */
export interface HandlerRequest<
  Params = Record<string, unknown>,
  Query = Record<string, unknown>,
  Headers = Record<string, unknown>,
  Body = unknown,
> {
  params: Params;
  query: Query;
  /** Declared header parameters only, keyed as in the spec (`Idempotency-Key`). */
  headers: Headers;
  body: Body;
  operationId: string;
  /** Request logger (carries reqId, trace_id, span_id). */
  log: FastifyBaseLogger;
  /** The Fastify request, for what the parts above do not cover (ip, raw headers). */
  request: FastifyRequest;
}

/** What a handler answers: a status, an optional JSON body, optional headers. */
export interface HandlerResponse<Status extends number = number, Body = unknown> {
  status: Status;
  body?: Body;
  headers?: Readonly<Record<string, string | number>>;
}

export type Handler<Req extends HandlerRequest = HandlerRequest, Res extends HandlerResponse = HandlerResponse> = (
  request: Req,
) => Promise<Res> | Res;

/** Any handler, whatever request type it declares; what `createServiceApp` accepts. */
export type AnyHandler = (request: never) => Promise<HandlerResponse> | HandlerResponse;

/** Builds a response: `respond(201, order, { Location: '/orders/1' })`. */
export function respond<const Status extends number, Body>(
  status: Status,
  body: Body,
  headers?: Readonly<Record<string, string | number>>,
): HandlerResponse<Status, Body> {
  return headers === undefined ? { status, body } : { status, body, headers };
}

// Typing handlers from openapi-typescript's `operations[...]` types.

type Present<T> = [T] extends [undefined]
  ? Record<string, never>
  : [T] extends [never]
    ? Record<string, never>
    : NonNullable<T>;
type ParametersIn<Op, In extends string> = Op extends { parameters: infer P }
  ? P extends Partial<Record<In, infer X>>
    ? Present<X>
    : Record<string, never>
  : Record<string, never>;
type JsonOf<Content> = Content extends { 'application/json': infer B }
  ? B
  : Content extends { 'application/problem+json': infer P }
    ? P
    : undefined;
type RequestBodyOf<Op> = Op extends { requestBody: { content: infer C } }
  ? JsonOf<C>
  : Op extends { requestBody?: { content: infer C } }
    ? JsonOf<C> | undefined
    : undefined;
type ResponseOf<R, Status extends number> = R extends { content: infer C }
  ? HandlerResponse<Status, JsonOf<C>>
  : HandlerResponse<Status, undefined>;

/** The request of an openapi-typescript operation: `OperationRequest<operations['placeOrder']>`. */
export type OperationRequest<Op> = HandlerRequest<
  ParametersIn<Op, 'path'>,
  ParametersIn<Op, 'query'>,
  ParametersIn<Op, 'header'>,
  RequestBodyOf<Op>
>;

/** Every response the operation documents, as a union of `{ status, body }`. */
export type OperationResponse<Op> = Op extends { responses: infer R }
  ? { [S in keyof R & number]: ResponseOf<R[S], S> }[keyof R & number]
  : HandlerResponse;

/** A handler typed from the spec: `const placeOrder: OperationHandler<operations['placeOrder']> = ...`. */
export type OperationHandler<Op> = Handler<OperationRequest<Op>, OperationResponse<Op>>;
