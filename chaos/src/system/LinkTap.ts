import type { RequestFaultSpec } from '../faults/requestFaults.ts';

/** One request (an HTTP request, or a gRPC call) that reached the dependency through a tap. */
export interface TappedRequest {
  /** The link (L4, L5, ...) the tap sits on. */
  link: string;
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** W3C traceparent: every attempt of one client call carries the same one (the kit injects it once). */
  traceparent: string | undefined;
  startMs: number;
  endMs: number;
  /**
   * The dependency's HTTP status, or undefined when forwarding failed. On a gRPC link: the HTTP
   * status of the call's grpc-status (`httpStatusOfGrpc`: OK 200, UNAVAILABLE 503,
   * DEADLINE_EXCEEDED 504, …), so that the oracles judge both kinds of link alike.
   */
  status: number | undefined;
  /** On a gRPC link: the call's grpc-status (trailers, or the headers of a trailers-only answer). */
  grpcStatus?: number;
  /**
   * On a gRPC link (every call a POST): whether the link's proto marks the method idempotent
   * (`idempotency_level = NO_SIDE_EFFECTS` or `IDEMPOTENT`), so that its calls may be sent again
   * without an Idempotency-Key, like a GET.
   */
  idempotentByContract?: boolean;
  /** The Retry-After the dependency asked for (delta-seconds, in ms), if any. */
  retryAfterMs: number | undefined;
  /** The caller's connection closed before the answer was written back (timeout, reset toxic). */
  callerGone: boolean;
  /** When the caller went away, if it did: the end of the call as the caller saw it. */
  callerGoneMs: number | undefined;
  /** The request-level fault that hit this request, if one did (its id). */
  fault?: string;
}

/**
 * A recording relay on one link of the system under chaos (`HttpTap` on HTTP links, `GrpcTap` on
 * gRPC links): it forwards every request, records what went through, and answers the
 * request-level faults in force itself.
 */
export interface LinkTap {
  /** The link (L4, L11, ...) the tap sits on. */
  readonly link: string;
  /** In front of the link's Toxiproxy proxy (sees every attempt of the caller), or behind it. */
  readonly front: boolean;
  /** host:port it listens on, once `listen()` resolved. */
  readonly address: string;
  listen(): Promise<string>;
  /** Requests recorded since `sinceMs` (all when undefined), in arrival order. */
  records(sinceMs?: number): TappedRequest[];
  clear(): void;
  /** Puts a request-level fault in force (`seed` makes a `share` pick the same requests run after run). */
  injectFault(id: string, spec: RequestFaultSpec, seed?: number): void;
  /** Lifts a request-level fault; requests it holds (`hang`) are cut. */
  liftFault(id: string): void;
  /** Lifts every request-level fault (rollback); returns their ids. */
  liftAllFaults(): string[];
  /** Requests a request-level fault hit, since `sinceMs`. */
  hitsOf(id: string, sinceMs?: number): TappedRequest[];
  close(): Promise<void>;
}
