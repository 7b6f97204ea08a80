/** The page links to an order as `#/orders/<id>`, so a reload or a shared link shows it again. */
export function orderHash(orderId: string): string {
  return `#/orders/${encodeURIComponent(orderId)}`;
}

export function orderIdFromHash(hash: string): string | undefined {
  const match = /^#\/orders\/([^/?#]+)$/.exec(hash);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}
