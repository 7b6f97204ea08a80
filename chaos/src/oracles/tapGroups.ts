import type { TappedRequest } from '../system/HttpTap.ts';

/**
 * The attempts of one client call, as they reached the dependency: requests with the same
 * traceparent, method and path (the kit injects the traceparent once per call, so every retry of
 * a call carries the same one). Requests without a traceparent are groups of their own.
 */
export interface CallGroup {
  key: string;
  method: string;
  path: string;
  attempts: TappedRequest[];
}

export function callGroups(requests: readonly TappedRequest[]): CallGroup[] {
  const groups = new Map<string, CallGroup>();
  requests.forEach((request, index) => {
    const key =
      request.traceparent === undefined
        ? `untraced-${index}`
        : `${request.traceparent} ${request.method} ${request.path}`;
    const group = groups.get(key) ?? { key, method: request.method, path: request.path, attempts: [] };
    group.attempts.push(request);
    groups.set(key, group);
  });
  for (const group of groups.values()) group.attempts.sort((a, b) => a.startMs - b.startMs);
  return [...groups.values()];
}

/** The end of a request as its caller saw it (it may have given up before the answer). */
export const callerEndOf = (request: TappedRequest): number => request.callerGoneMs ?? request.endMs;

/** The most requests in flight at the same time. */
export function maxConcurrency(requests: readonly TappedRequest[], shrinkMs = 0): number {
  const edges: Array<[number, number]> = [];
  for (const request of requests) {
    const end = Math.max(request.startMs, callerEndOf(request) - shrinkMs);
    edges.push([request.startMs, 1], [end, -1]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of edges) {
    current += delta;
    max = Math.max(max, current);
  }
  return max;
}
