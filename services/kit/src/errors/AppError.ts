import { errorCatalogue, type ErrorCode } from './errorCatalogue.ts';

/** One field-level validation error; `path` is a JSON Pointer relative to `in`. */
export interface FieldError {
  path: string;
  message: string;
  in?: 'body' | 'query' | 'path' | 'header';
}

export interface AppErrorOptions {
  detail?: string;
  cause?: unknown;
  retryAfterSeconds?: number;
  errors?: readonly FieldError[];
  /** Extra problem members (RFC 9457 extensions), e.g. `{ productId }`. */
  extensions?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type of the services: a code from the closed catalogue plus what the problem
 * body needs. Anything thrown that is not an AppError becomes a 500 INTERNAL.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly isAppError = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly errors: readonly FieldError[] | undefined;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const definition = errorCatalogue[code];
    super(options.detail ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = definition.status;
    this.detail = options.detail;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.errors = options.errors;
    this.extensions = options.extensions;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (typeof error === 'object' && error !== null && 'isAppError' in error);
}
