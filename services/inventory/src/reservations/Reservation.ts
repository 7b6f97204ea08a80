import type { InventoryComponents } from '@harness/contracts';

export type Reservation = InventoryComponents['schemas']['Reservation'];

/** A reservation row as the stored functions return it. */
export interface ReservationRow {
  status: string;
  items: Reservation['items'];
  created_at: Date;
  updated_at: Date;
}

export function toReservation(orderId: string, row: ReservationRow): Reservation {
  return {
    orderId,
    status: row.status === 'RELEASED' ? 'RELEASED' : 'RESERVED',
    items: row.items,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
