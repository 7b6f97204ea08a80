import { OrderViewDocument, type OrderViewQuery } from '@harness/contracts/graphql/gateway';
import type { OrderView } from './gatewayTypes.ts';
import type { OrderTrackingUpdate } from './orderTracking.ts';

/** Where and as whom the page asks the gateway's GraphQL API. */
export interface GraphqlEndpoint {
  /** Origin of the gateway (e.g. http://127.0.0.1:8080); `/api/graphql` is added. */
  gatewayUrl: string;
  apiKey: string;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: (request: Request) => Promise<Response>;
}

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown; retryAfterSeconds?: unknown };
}

interface GraphqlAnswer {
  data?: OrderViewQuery | null;
  errors?: GraphqlError[];
}

/** Codes after which reading again cannot help: the order view failed for good. */
const finalCodes = new Set(['ORDER_NOT_FOUND', 'VALIDATION_FAILED', 'UNAUTHENTICATED', 'FORBIDDEN']);

/**
 * One read of the order view over GraphQL (the generated `OrderView` operation), as an update for
 * the page, like readOrderView over REST: notification down arrives as `notifications: null` plus
 * an error entry, and is shown as the REST view shows it (`degraded: ["notification"]`). Never throws.
 */
export async function readOrderViewOverGraphql(
  endpoint: GraphqlEndpoint,
  orderId: string,
  signal?: AbortSignal,
): Promise<OrderTrackingUpdate> {
  let response: Response;
  let answer: GraphqlAnswer;
  try {
    const request = new Request(`${endpoint.gatewayUrl.replace(/\/+$/, '')}/api/graphql`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${endpoint.apiKey}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({
        operationName: 'OrderView',
        query: OrderViewDocument.toString(),
        variables: { id: orderId },
      }),
      ...(signal ? { signal } : {}),
    });
    response = await (endpoint.fetch ?? fetch)(request);
    answer = (await response.json()) as GraphqlAnswer;
  } catch {
    return { kind: 'unavailable', message: 'The shop could not be reached.', retryAfterSeconds: undefined };
  }
  const viewed = answer.data?.order;
  if (viewed) return { kind: 'view', view: toOrderView(viewed) };
  const first = answer.errors?.[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : undefined;
  const message = typeof first?.message === 'string' ? first.message : `The shop answered ${response.status}.`;
  if ((code !== undefined && finalCodes.has(code)) || (response.status >= 400 && response.status !== 429)) {
    return { kind: 'failed', message };
  }
  const retryAfter = first?.extensions?.retryAfterSeconds;
  return {
    kind: 'unavailable',
    message,
    retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : undefined,
  };
}

/** The GraphQL order view in the shape the page renders (the REST view's). */
function toOrderView(viewed: NonNullable<OrderViewQuery['order']>): OrderView {
  const { cancellationReason, ...order } = viewed.order;
  return {
    order: { ...order, ...(cancellationReason === null ? {} : { cancellationReason }) },
    notifications: viewed.notifications ?? [],
    degraded: viewed.notifications === null ? ['notification'] : [],
    ...(viewed.source === 'READ_MODEL'
      ? { source: 'read-model' as const, stale: viewed.stale ?? true, lagSeconds: viewed.lagSeconds ?? 0 }
      : {}),
  };
}
