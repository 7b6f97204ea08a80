import type { ProviderStateSetup } from '../../src/verify/stateGuard.ts';
import type { RunningApp } from '../support/runningApp.ts';
import { inventoryStates } from './inventoryStates.ts';
import { deliverToNotification } from './notificationStates.ts';
import { orderStates, outboxMessage, placeOrder } from './orderStates.ts';
import { expectStatus } from './stateParams.ts';

export interface GatewaySystem {
  order: RunningApp;
  inventory: RunningApp;
  notification: RunningApp;
}

/**
 * Provider states of the gateway (L1) are states of the system behind it: stock in inventory,
 * orders placed through order's API, e-mails recorded by notification's consumer from the event
 * order's outbox holds (what the broker would have delivered).
 */
export function gatewayStates(system: GatewaySystem): Record<string, ProviderStateSetup> {
  const fromOrder = orderStates(system, new Map());
  const fromInventory = inventoryStates(system.inventory);
  const pick = (states: Record<string, ProviderStateSetup>, name: string): ProviderStateSetup => {
    const state = states[name];
    if (!state) throw new Error(`no state "${name}"`);
    return state;
  };
  return {
    'the catalog has products': pick(fromInventory, 'the catalog has products'),
    'product espresso-1kg is in stock': pick(fromInventory, 'product espresso-1kg is in stock'),
    'product espresso-1kg is out of stock': pick(fromInventory, 'product espresso-1kg is out of stock'),
    'order 00000000-0000-4000-8000-000000000404 does not exist': pick(
      fromOrder,
      'order 00000000-0000-4000-8000-000000000404 does not exist',
    ),
    'a confirmed order was notified': async () => {
      const { orderId, status } = await placeOrder(system, 'tok_approve');
      expectStatus(`order ${orderId}`, status, 201, 'not confirmed');
      if (!system.order.pool || !system.notification.pool) throw new Error('order and notification need databases');
      await deliverToNotification(
        system.notification.pool,
        await outboxMessage(system.order.pool, orderId, 'OrderConfirmed'),
      );
      return { orderId };
    },
  };
}
