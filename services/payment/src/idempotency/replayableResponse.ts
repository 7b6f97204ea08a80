import type { HandlerResponse } from '@harness/kit';
import type { IdempotentResponse } from './runIdempotently.ts';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The HTTP answer of a keyed operation: its stored status and body, `Idempotent-Replayed: true`
 * on a replay, and the problem media type for a stored error (a decline, an unknown charge...).
 */
export function replayableResponse(response: IdempotentResponse): HandlerResponse {
  const headers: Record<string, string> = {};
  if (response.replayed) headers['Idempotent-Replayed'] = 'true';
  if (response.status >= 400) headers['content-type'] = PROBLEM_CONTENT_TYPE;
  return { status: response.status, body: response.body, headers };
}
