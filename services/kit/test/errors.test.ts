import { describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../src/errors/AppError.ts';
import { errorCatalogue, errorCodes, problemTypeOf } from '../src/errors/errorCatalogue.ts';
import { isProblem, toProblem } from '../src/errors/problem.ts';

describe('error catalogue', () => {
  it.each([
    ['VALIDATION_FAILED', 400],
    ['MALFORMED_JSON', 400],
    ['IDEMPOTENCY_KEY_MISSING', 400],
    ['QUERY_SYNTAX_ERROR', 400],
    ['QUERY_TOO_DEEP', 400],
    ['QUERY_TOO_COMPLEX', 400],
    ['UNAUTHENTICATED', 401],
    ['PAYMENT_DECLINED', 402],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['UNKNOWN_PRODUCT', 404],
    ['OUT_OF_STOCK', 409],
    ['IDEMPOTENCY_CONFLICT', 409],
    ['PAYLOAD_TOO_LARGE', 413],
    ['UNSUPPORTED_MEDIA_TYPE', 415],
    ['IDEMPOTENCY_KEY_REUSED', 422],
    ['RATE_LIMITED', 429],
    ['INTERNAL', 500],
    ['DEPENDENCY_UNAVAILABLE', 503],
  ] as const)('maps %s to HTTP %i', (code, status) => {
    expect(errorCatalogue[code].status).toBe(status);
    expect(new AppError(code).status).toBe(status);
  });

  it('gives every code a title and a distinct kebab-case problem type', () => {
    const types = errorCodes.map(problemTypeOf);
    expect(new Set(types).size).toBe(errorCodes.length);
    expect(problemTypeOf('IDEMPOTENCY_KEY_REUSED')).toBe('/problems/idempotency-key-reused');
    for (const code of errorCodes) expect(errorCatalogue[code].title.length).toBeGreaterThan(3);
  });
});

describe('toProblem', () => {
  it('renders an AppError as RFC 9457 problem details with its extensions', () => {
    const error = new AppError('OUT_OF_STOCK', {
      detail: 'Requested 3, available 1.',
      extensions: { productId: 'espresso-1kg' },
    });
    expect(toProblem(error, '/orders')).toEqual({
      type: '/problems/out-of-stock',
      title: 'Product out of stock',
      status: 409,
      code: 'OUT_OF_STOCK',
      detail: 'Requested 3, available 1.',
      instance: '/orders',
      productId: 'espresso-1kg',
    });
  });

  it('keeps field errors and retryAfterSeconds', () => {
    const problem = toProblem(
      new AppError('VALIDATION_FAILED', { errors: [{ path: '/items/0/quantity', message: 'must be <= 100' }] }),
      '/orders',
    );
    expect(problem.errors).toEqual([{ path: '/items/0/quantity', message: 'must be <= 100' }]);
    expect(toProblem(new AppError('RATE_LIMITED', { retryAfterSeconds: 2 })).retryAfterSeconds).toBe(2);
  });

  it('turns any other error into INTERNAL without its message', () => {
    const problem = toProblem(new Error('password=hunter2'), '/x');
    expect(problem).toEqual({
      type: '/problems/internal',
      title: 'Internal server error',
      status: 500,
      code: 'INTERNAL',
      instance: '/x',
    });
  });

  it('does not let extensions override the standard members', () => {
    const problem = toProblem(new AppError('NOT_FOUND', { extensions: { status: 200, code: 'OK' } }));
    expect(problem).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });
});

describe('guards', () => {
  it('recognises AppErrors and problems', () => {
    const error = new AppError('FORBIDDEN', { cause: new Error('role') });
    expect(isAppError(error)).toBe(true);
    expect(isAppError(new Error('x'))).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toBe('Forbidden');
    expect(isProblem(toProblem(error))).toBe(true);
    expect(isProblem({ status: 404, title: 'x', code: 'SOMETHING_ELSE' })).toBe(false);
  });
});
