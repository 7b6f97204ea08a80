/** Where the public client follows an order: the gateway's order view. */
export function publicOrderPath(orderId: string): string {
  return `/api/v1/orders/${encodeURIComponent(orderId)}`;
}
