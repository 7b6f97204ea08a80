import type { RunningApp } from './runningApp.ts';
import { startGateway, startInventory, startNotification, startOrder, startPayment } from './services.ts';

/** Every provider of the reference system, running for real, each on its own database. */
export interface SystemUnderVerification {
  inventory: RunningApp;
  payment: RunningApp;
  notification: RunningApp;
  order: RunningApp;
  gateway: RunningApp;
  stop(): Promise<void>;
}

/**
 * Starts the system once for all provider verifications: inventory, payment and notification
 * first, then order (calling inventory and payment for real), then the gateway (calling order,
 * inventory and notification for real). No dependency is stubbed.
 */
export async function startSystem(): Promise<SystemUnderVerification> {
  const [inventory, payment, notification] = await Promise.all([startInventory(), startPayment(), startNotification()]);
  const order = await startOrder({ inventoryUrl: inventory.url, paymentUrl: payment.url });
  const gateway = await startGateway({
    orderUrl: order.url,
    inventoryUrl: inventory.url,
    notificationUrl: notification.url,
  });
  return {
    inventory,
    payment,
    notification,
    order,
    gateway,
    async stop() {
      await gateway.stop();
      await order.stop();
      await Promise.all([inventory.stop(), payment.stop(), notification.stop()]);
    },
  };
}
