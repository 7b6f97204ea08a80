import type { LinkSpec } from '@harness/runtime';
import { GrpcTap } from './GrpcTap.ts';
import { idempotentGrpcMethods } from './grpcIdempotentMethods.ts';
import { HttpTap } from './HttpTap.ts';
import type { LinkTap } from './LinkTap.ts';

/**
 * The recording tap for a call link: `HttpTap` on an HTTP link, `GrpcTap` (HTTP/2) on a gRPC link,
 * which knows from the link's proto which methods are idempotent; relaying to `target` (host:port).
 * `front`: it sits in front of the link's Toxiproxy proxy.
 */
export function tapFor(link: LinkSpec, target: string, options: { front?: boolean } = {}): LinkTap {
  const [host, port] = target.split(':');
  const address = { host: host ?? '127.0.0.1', port: Number(port) };
  if (link.kind !== 'grpc') return new HttpTap(link.id, address, options);
  const idempotentMethods =
    link.contract.file === undefined ? undefined : idempotentGrpcMethods(link.contract.file, link.contract.service);
  return new GrpcTap(link.id, address, { ...options, ...(idempotentMethods ? { idempotentMethods } : {}) });
}
