import { afterAll, beforeAll, describe, it } from 'vitest';
import { parseInteractionName } from '../src/pacts/interactionName.ts';
import { selectedLinks } from '../src/links.ts';
import { consumersDone } from '../src/testing/consumersDone.ts';
import { gatewayStates } from './states/gatewayStates.ts';
import { inventoryStates } from './states/inventoryStates.ts';
import { notificationStates } from './states/notificationStates.ts';
import { orderStates, outboxMessage } from './states/orderStates.ts';
import { paymentStates } from './states/paymentStates.ts';
import { gatewayApiKey } from './support/services.ts';
import { startSystem, type SystemUnderVerification } from './support/system.ts';
import { expectProviderVerified } from './support/verifyProvider.ts';

// Provider verification: one Verifier run per provider (HTTP and message pacts together),
// against the real system started once — every app in-process from its buildApp, on its own
// PostgreSQL database, calling its real dependencies. State handlers create real state through
// the services' APIs, consumers and (for stock) databases.
const providers = new Set(selectedLinks().map((link) => link.provider));

/** Declares a provider's verification only when `--link` selected one of its links (no skipped tests). */
const verifies = (
  provider: Parameters<typeof providers.has>[0],
): typeof it | ((...args: Parameters<typeof it>) => void) => (providers.has(provider) ? it : () => undefined);
let system: SystemUnderVerification;
beforeAll(async () => {
  system = await startSystem();
  // `harness contracts` starts this run beside the consumer tests: the pacts are theirs to write.
  await consumersDone();
});
afterAll(() => system?.stop());

describe('provider verification', () => {
  verifies('inventory')('inventory honours the pacts of gateway (L3) and order (L4)', async () => {
    await expectProviderVerified('inventory', {
      providerBaseUrl: system.inventory.url,
      stateHandlers: inventoryStates(system.inventory),
    });
  });

  verifies('payment')('payment honours the pact of order (L5)', async () => {
    await expectProviderVerified('payment', {
      providerBaseUrl: system.payment.url,
      stateHandlers: paymentStates(system.payment),
    });
  });

  verifies('notification')(
    'notification honours the pact of gateway (L8) and publishes the NotificationSent it expects (L12)',
    async () => {
      // The message is the NotificationSent notification's consumer wrote to its outbox when the
      // provider state delivered an OrderConfirmed to it, as the outbox relay publishes it.
      const messageOrders = new Map<string, string>();
      await expectProviderVerified('notification', {
        providerBaseUrl: system.notification.url,
        stateHandlers: notificationStates(system.notification, messageOrders),
        messages: async (description) => {
          const messageType = parseInteractionName(description)?.target;
          const orderId = messageType ? messageOrders.get(messageType) : undefined;
          if (!messageType || !orderId || !system.notification.pool)
            throw new Error(`no provider state produced the message "${description}"`);
          return outboxMessage(system.notification.pool, orderId, messageType);
        },
      });
    },
  );

  verifies('order')(
    'order honours the pact of gateway (L2) and publishes the events notification (L6) and inventory (L7) expect',
    async () => {
      // The order whose event each message interaction asks for, set by its provider state. The
      // message is the event the saga wrote to order's outbox with its event factories, as the
      // outbox relay publishes it.
      const messageOrders = new Map<string, string>();
      await expectProviderVerified('order', {
        providerBaseUrl: system.order.url,
        stateHandlers: orderStates(system, messageOrders),
        messages: async (description) => {
          const messageType = parseInteractionName(description)?.target;
          const orderId = messageType ? messageOrders.get(messageType) : undefined;
          if (!messageType || !orderId || !system.order.pool)
            throw new Error(`no provider state produced the message "${description}"`);
          return outboxMessage(system.order.pool, orderId, messageType);
        },
      });
    },
  );

  verifies('gateway')('gateway honours the pacts of the storefront, REST (L1) and GraphQL (L10)', async () => {
    await expectProviderVerified('gateway', {
      providerBaseUrl: system.gateway.url,
      stateHandlers: gatewayStates(system),
      requestHeaders: { Authorization: `Bearer ${gatewayApiKey}` },
    });
  });
});
