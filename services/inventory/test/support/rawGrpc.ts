import http2 from 'node:http2';

/** One gRPC message as it travels: compressed flag, 4-byte length, bytes (the length may lie). */
export function grpcFrame(
  message: Uint8Array,
  options: { announcedLength?: number; compressed?: boolean } = {},
): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(options.compressed ? 1 : 0, 0);
  frame.writeUInt32BE(options.announcedLength ?? message.length, 1);
  Buffer.from(message).copy(frame, 5);
  return frame;
}

export interface RawAnswer {
  httpStatus: number | undefined;
  /** grpc-status from the trailers, or from the headers of a trailers-only answer. */
  grpcStatus: number | undefined;
  grpcMessage: string | undefined;
  /** The grpc-status-details-bin trailer, decoded from base64. */
  statusDetails: Buffer | undefined;
}

/**
 * Sends `body` as the whole request body of a gRPC call over plain HTTP/2, below any gRPC library:
 * for frames a conforming client never sends (truncated, two messages, not gRPC at all).
 */
export function sendRawHttp2(
  address: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let answer: http2.IncomingHttpHeaders = {};
    stream.on('response', (received) => (answer = { ...received }));
    stream.on('trailers', (trailers) => (answer = { ...answer, ...trailers }));
    stream.on('data', () => undefined);
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      const text = (name: string): string | undefined => {
        const value = answer[name];
        return typeof value === 'string' ? value : undefined;
      };
      const grpcStatus = text('grpc-status');
      const message = text('grpc-message');
      const details = text('grpc-status-details-bin');
      resolve({
        httpStatus: typeof answer[':status'] === 'number' ? answer[':status'] : undefined,
        grpcStatus: grpcStatus === undefined ? undefined : Number(grpcStatus),
        grpcMessage: message === undefined ? undefined : decodeURIComponent(message),
        statusDetails: details === undefined ? undefined : Buffer.from(details, 'base64'),
      });
    });
    stream.end(body);
  });
}
