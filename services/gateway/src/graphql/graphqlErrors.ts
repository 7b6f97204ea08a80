import { errorCatalogue, isAppError, isErrorCode, type ErrorCode } from '@harness/kit';
import type { FastifyReply } from 'fastify';
import type { ExecutionResult, GraphQLFormattedError } from 'graphql';

/** A GraphQL error as it reaches the formatter: graphql-js's, mercurius's or Fastify's. */
interface RaisedError {
  message: string;
  code?: unknown;
  statusCode?: unknown;
  path?: readonly (string | number)[] | undefined;
  locations?: readonly { line: number; column: number }[] | undefined;
  extensions?: Readonly<Record<string, unknown>> | undefined;
  originalError?: unknown;
  /** mercurius wraps request errors (syntax, validation, depth) in one error listing them. */
  errors?: unknown;
}

interface ClassifiedError {
  code: ErrorCode;
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * The gateway's GraphQL error formatter (mercurius `errorFormatter`): every error carries
 * `extensions.code` from the error catalogue. A request that was not executed (body, syntax,
 * validation, depth or cost refused; a key missing, invalid or over its limit) answers the
 * catalogue status of its first error (400, 401, 429; Retry-After when the limit says when);
 * an executed request answers 200 with `data` and the field errors (GraphQL-over-HTTP).
 */
export function formatGraphqlErrors(
  execution: ExecutionResult & { errors: readonly unknown[]; statusCode?: number },
  context: { reply?: FastifyReply },
): { statusCode: number; response: { data: unknown; errors: GraphQLFormattedError[] } } {
  const raised = execution.errors.flatMap((error) => flatten(error as RaisedError));
  const classified = raised.map((error) => ({ error, ...classify(error) }));
  for (const { error, code } of classified) {
    if (code === 'INTERNAL') context.reply?.log.error({ err: error.originalError ?? error }, 'GraphQL resolver failed');
  }
  const executed = execution.data != null || raised.some((error) => error.path !== undefined);
  const first = classified[0];
  const retryAfter = first?.extensions.retryAfterSeconds;
  if (!executed && typeof retryAfter === 'number') context.reply?.header('retry-after', String(retryAfter));
  return {
    statusCode: executed || first === undefined ? 200 : errorCatalogue[first.code].status,
    response: {
      data: execution.data ?? null,
      errors: classified.map(({ error, message, extensions }) => ({
        message,
        ...(error.locations === undefined ? {} : { locations: [...error.locations] }),
        ...(error.path === undefined ? {} : { path: [...error.path] }),
        extensions,
      })),
    },
  };
}

/** mercurius's request errors list the graphql-js errors they stand for; a method refusal keeps its own code. */
function flatten(error: RaisedError): RaisedError[] {
  const wrapper = (error.originalError ?? error) as RaisedError;
  if (wrapper.code === 'MER_ERR_METHOD_NOT_ALLOWED') return [wrapper];
  if (Array.isArray(wrapper.errors) && wrapper.errors.length > 0) return wrapper.errors as RaisedError[];
  return [error];
}

function classify(error: RaisedError): ClassifiedError {
  const original = (error.originalError ?? error) as RaisedError;
  if (isAppError(original)) {
    return {
      code: original.code,
      message: original.detail ?? errorCatalogue[original.code].title,
      extensions: {
        code: original.code,
        ...original.extensions,
        ...(original.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: original.retryAfterSeconds }),
        ...(original.errors === undefined ? {} : { errors: original.errors }),
      },
    };
  }
  const declared = error.extensions?.code;
  if (isErrorCode(declared)) return { code: declared, message: error.message, extensions: { ...error.extensions } };
  const code = requestErrorCode(error, original);
  const message = code === 'INTERNAL' ? errorCatalogue.INTERNAL.title : readable(error.message);
  return { code, message, extensions: { code } };
}

function requestErrorCode(error: RaisedError, original: RaisedError): ErrorCode {
  if (original.code === 'MER_ERR_GQL_QUERY_DEPTH') return 'QUERY_TOO_DEEP';
  if (original.code === 'MER_ERR_METHOD_NOT_ALLOWED') return 'METHOD_NOT_ALLOWED';
  if (error.message.startsWith('Syntax Error')) return 'QUERY_SYNTAX_ERROR';
  if (original.statusCode === 413) return 'PAYLOAD_TOO_LARGE';
  if (original.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (original instanceof SyntaxError || String(original.code).startsWith('FST_ERR_CTP_')) return 'MALFORMED_JSON';
  // A resolver's unexpected failure has a path; a request error (validation, variables) has none.
  return error.path === undefined ? 'VALIDATION_FAILED' : 'INTERNAL';
}

/** mercurius's depth message is quoted in backticks and may name an `undefined` operation. */
function readable(message: string): string {
  return message.replaceAll('`', '').replace(/^undefined query depth/, 'Query depth');
}
