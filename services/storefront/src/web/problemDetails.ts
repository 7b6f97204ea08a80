import type { OrderUnavailableProblem, Problem } from './gatewayTypes.ts';

/** The parts of an error answer the page shows. Bodies that are not problem+json still yield a message. */
export interface ProblemSummary {
  code: string | undefined;
  message: string;
  retryAfterSeconds: number | undefined;
  productId: string | undefined;
}

/**
 * Reads an error answer: the problem document (when the body is one) and the Retry-After header.
 * The body's `retryAfterSeconds` comes first because a cross-origin page can read the header only
 * when the gateway exposes it.
 */
export function summarizeProblem(error: unknown, response: Response, fallback: string): ProblemSummary {
  const problem: Partial<Record<keyof Problem, unknown>> = typeof error === 'object' && error !== null ? error : {};
  const retryAfterSeconds = problem.retryAfterSeconds;
  return {
    code: nonEmptyString(problem.code),
    message: nonEmptyString(problem.detail) ?? nonEmptyString(problem.title) ?? fallback,
    retryAfterSeconds:
      typeof retryAfterSeconds === 'number' && Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0
        ? retryAfterSeconds
        : parseRetryAfter(response.headers.get('Retry-After')),
    productId: nonEmptyString(problem.productId),
  };
}

/** An order the gateway's 503 names: created, then cancelled because a dependency was unavailable. */
export interface CancelledOrder {
  orderId: string;
  /** `cancellationReason` as the gateway sent it; describeCancellation words the ones it knows. */
  reason: string | undefined;
}

/** The cancelled order a 503 problem names (`orderId`, `cancellationReason`), if it names one. */
export function cancelledOrderOf(error: unknown): CancelledOrder | undefined {
  const problem: Partial<Record<keyof OrderUnavailableProblem, unknown>> =
    typeof error === 'object' && error !== null ? error : {};
  const orderId = nonEmptyString(problem.orderId);
  return orderId === undefined ? undefined : { orderId, reason: nonEmptyString(problem.cancellationReason) };
}

/** Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
