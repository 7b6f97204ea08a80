import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request a stub received. */
export interface RecordedCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What a stub does with a request: answer, never answer, or cut the connection. */
export type StubReply =
  { status: number; body?: unknown; headers?: Record<string, string> } | { hang: true } | { destroy: true };

export type StubHandler = (call: RecordedCall) => StubReply;

/**
 * A tiny node:http server standing in for another service's HTTP API (order, inventory,
 * notification) on 127.0.0.1:0. It records every request and answers from `handler`.
 */
export interface StubService {
  url: string;
  calls: RecordedCall[];
  handler: StubHandler;
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler = () => ({ status: 404 })): Promise<StubService> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const call: RecordedCall = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
      stub.calls.push(call);
      const reply = stub.handler(call);
      if ('hang' in reply) return;
      if ('destroy' in reply) {
        request.socket.destroy();
        return;
      }
      const isProblem = reply.status >= 400;
      response.writeHead(reply.status, {
        'content-type': isProblem ? 'application/problem+json' : 'application/json',
        ...reply.headers,
      });
      response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stub: StubService = {
    url: `http://127.0.0.1:${port}`,
    calls: [],
    handler,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stub;
}

/** A base URL where nothing listens (a stub started and closed again): connection refused. */
export async function unreachableUrl(): Promise<string> {
  const stub = await startStub();
  await stub.close();
  return stub.url;
}
