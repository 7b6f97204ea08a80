import type { LinkSpec } from '@harness/runtime';
import { GrpcTap } from './GrpcTap.ts';
import { HttpTap } from './HttpTap.ts';
import type { LinkTap } from './LinkTap.ts';

/**
 * The recording tap for a call link: `HttpTap` on an HTTP link, `GrpcTap` (HTTP/2) on a gRPC link,
 * relaying to `target` (host:port). `front`: it sits in front of the link's Toxiproxy proxy.
 */
export function tapFor(
  kind: LinkSpec['kind'],
  link: string,
  target: string,
  options: { front?: boolean } = {},
): LinkTap {
  const [host, port] = target.split(':');
  const address = { host: host ?? '127.0.0.1', port: Number(port) };
  return kind === 'grpc' ? new GrpcTap(link, address, options) : new HttpTap(link, address, options);
}
