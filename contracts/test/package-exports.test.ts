import { describe, expect, expectTypeOf, it } from 'vitest';
import { specPath, type GatewayPaths, type OrderPaths } from '@harness/contracts';
import { routingKeys, type OrderCancelledPayload } from '@harness/contracts/events';
import type { components } from '@harness/contracts/openapi/order';
import paymentSpec from '@harness/contracts/openapi/payment.json' with { type: 'json' };

describe('package exports', () => {
  it('resolve the entry, events, per-service types and bundled specs by package name', () => {
    expect(specPath('payment')).toMatch(/generated\/openapi\/payment\.bundled\.json$/);
    expect(routingKeys.OrderCancelled).toBe('order.cancelled');
    expect(paymentSpec.info.title).toBe('Payment service API');
  });

  it('type requests and events from the specs', () => {
    type PlaceOrderBody = OrderPaths['/orders']['post']['requestBody']['content']['application/json'];
    expectTypeOf<PlaceOrderBody['items'][number]>().toEqualTypeOf<{ productId: string; quantity: number }>();
    expectTypeOf<components['schemas']['Order']['status']>().toEqualTypeOf<'PENDING' | 'CONFIRMED' | 'CANCELLED'>();
    expectTypeOf<
      GatewayPaths['/orders/{orderId}']['get']['responses'][200]['content']['application/json']['degraded']
    >().toEqualTypeOf<string[]>();
    expectTypeOf<OrderCancelledPayload['reason']>().toEqualTypeOf<
      'OUT_OF_STOCK' | 'PAYMENT_DECLINED' | 'PAYMENT_UNAVAILABLE' | 'INVENTORY_UNAVAILABLE' | 'TIMEOUT'
    >();
  });
});
