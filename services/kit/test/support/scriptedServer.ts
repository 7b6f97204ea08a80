import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the server does with one request: answer, answer late, or drop the connection. */
export type Behaviour =
  { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number } | { drop: true };

/**
 * A real HTTP server on 127.0.0.1 that answers with scripted behaviours in order (the last one
 * repeats) and records every request it received.
 */
export async function startScriptedServer(): Promise<{
  url: string;
  received: ReceivedRequest[];
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}> {
  let script: Behaviour[] = [{ status: 200, body: {} }];
  let next = 0;
  const received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const behaviour = script[Math.min(next++, script.length - 1)]!;
      if ('drop' in behaviour) {
        req.socket.destroy();
        return;
      }
      const answer = () => {
        const isProblem = behaviour.status >= 400;
        res.writeHead(behaviour.status, {
          'content-type': isProblem ? 'application/problem+json' : 'application/json',
          ...behaviour.headers,
        });
        res.end(behaviour.body === undefined ? undefined : JSON.stringify(behaviour.body));
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script: (...behaviours) => {
      script = behaviours;
      next = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
