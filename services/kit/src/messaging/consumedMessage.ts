/** One message as a consumer's handler sees it (shared by startConsumer and recordProcessedEvent). */
export interface ConsumedMessage<Payload = unknown> {
  eventId: string;
  eventType: string | undefined;
  routingKey: string;
  payload: Payload;
  headers: Readonly<Record<string, unknown>>;
  /** Failed handler runs before this one (0 on first delivery). */
  attempt: number;
}
