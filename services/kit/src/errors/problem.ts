import { AppError, isAppError, type FieldError } from './AppError.ts';
import { errorCatalogue, isErrorCode, problemTypeOf, type ErrorCode } from './errorCatalogue.ts';

/** RFC 9457 problem details as every service answers them (media type application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The problem body of an error. An AppError maps through the catalogue; anything else becomes
 * INTERNAL with a generic detail, so no message, stack or cause of an unexpected error leaks.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  const appError = isAppError(error) ? error : new AppError('INTERNAL');
  const definition = errorCatalogue[appError.code];
  const problem: Problem = {
    ...appError.extensions,
    type: problemTypeOf(appError.code),
    title: definition.title,
    status: definition.status,
    code: appError.code,
  };
  if (appError.detail !== undefined) problem.detail = appError.detail;
  if (instance !== undefined) problem.instance = instance;
  if (appError.errors !== undefined) problem.errors = [...appError.errors];
  if (appError.retryAfterSeconds !== undefined) problem.retryAfterSeconds = appError.retryAfterSeconds;
  return problem;
}

/** True when a parsed response body is a problem of this system (status, title and a known code). */
export function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.title === 'string' && isErrorCode(candidate.code);
}
