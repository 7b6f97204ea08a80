import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../errors/AppError.ts';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../errors/problem.ts';

/** Fastify's own request errors, in the catalogue's words. */
const fastifyErrors: Record<string, (error: Error, bodyLimit: number) => AppError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new AppError('MALFORMED_JSON', { detail: 'The request body is not valid JSON.' }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError('MALFORMED_JSON', { detail: 'The request body is empty.' }),
  FST_ERR_CTP_BODY_TOO_LARGE: (_error, bodyLimit) =>
    new AppError('PAYLOAD_TOO_LARGE', { detail: `The limit is ${bodyLimit} bytes.` }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError('UNSUPPORTED_MEDIA_TYPE'),
};

/** The AppError an error thrown while handling a request stands for (INTERNAL when unknown). */
export function appErrorOf(error: unknown, bodyLimit: number): AppError {
  if (isAppError(error)) return error;
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (error instanceof Error && typeof code === 'string' && fastifyErrors[code]) {
    return fastifyErrors[code](error, bodyLimit);
  }
  if (error instanceof Error && typeof code === 'string' && code.startsWith('FST_') && statusCode === 400) {
    return new AppError('VALIDATION_FAILED', { detail: error.message, cause: error });
  }
  if (error instanceof SyntaxError && statusCode === 400) return new AppError('MALFORMED_JSON', { cause: error });
  return new AppError('INTERNAL', { cause: error });
}

/** Answers with the error's problem+json body, and Retry-After when it says when to retry. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const instance = request.url.split('?')[0];
  reply.code(error.status).header('content-type', PROBLEM_CONTENT_TYPE);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  // A Buffer, so Fastify sends the media type as is (no charset parameter appended).
  return reply.send(Buffer.from(JSON.stringify(toProblem(error, instance))));
}
