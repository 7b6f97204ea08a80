import http from 'node:http';
import https from 'node:https';
import type { RequestParts } from './outgoingRequest.ts';

/** Sends one attempt and resolves with the whole answer (body read), or rejects on a network failure. */
export type HttpTransport = (request: RequestParts & { signal: AbortSignal }) => Promise<Response>;

export type FetchFunction = (request: Request) => Promise<Response>;

export interface KeepAliveTransportOptions {
  /** Open connections per origin; default no limit (the bulkhead bounds concurrent calls). */
  maxSockets?: number;
  /** Idle keep-alive connections kept per origin. Default 256. */
  maxFreeSockets?: number;
}

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * The default transport: node:http(s) on keep-alive connections. Far cheaper per call than
 * `fetch` (no WHATWG Request, no web streams) and nothing more to load (the server already
 * loaded node:http), which matters at hundreds of calls a second. No pipelining: one slow answer
 * would hold up the ones queued behind it, and aborting a timed-out attempt would take them down.
 */
export function keepAliveTransport(options: KeepAliveTransportOptions = {}): HttpTransport {
  const agentOptions = {
    keepAlive: true,
    maxFreeSockets: options.maxFreeSockets ?? 256,
    ...(options.maxSockets === undefined ? {} : { maxSockets: options.maxSockets }),
  };
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) };
  return ({ url, method, headers, body, signal }) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      if (signal.aborted) return reject(signal.reason);
      const request = (secure ? https : http).request(target, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(byteLength(body)) },
        agent: secure ? agents['https:'] : agents['http:'],
      });
      // An aborted attempt destroys its connection (it may be half-way through an answer).
      const abort = () => request.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal.addEventListener('abort', abort, { once: true });
      const fail = (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(signal.aborted ? signal.reason : error);
      };
      request.once('error', fail);
      request.once('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', fail);
        response.once('aborted', () => fail(new Error('the answer was cut off')));
        response.once('end', () => {
          signal.removeEventListener('abort', abort);
          const status = response.statusCode ?? 502;
          const bytes = nullBodyStatuses.has(status) || chunks.length === 0 ? null : Buffer.concat(chunks);
          try {
            resolve(new Response(bytes, { status, headers: headersOf(response.rawHeaders) }));
          } catch (error) {
            reject(error);
          }
        });
      });
      request.end(body);
    });
}

/** A transport over a fetch function (tests and callers that bring their own fetch). */
export function fetchTransport(fetchFunction: FetchFunction): HttpTransport {
  return async ({ url, method, headers, body, signal }) => {
    const payload = body === undefined ? null : typeof body === 'string' ? body : new Uint8Array(body);
    const response = await fetchFunction(new Request(url, { method, headers, body: payload, signal }));
    const bytes = nullBodyStatuses.has(response.status) ? null : await response.arrayBuffer();
    return new Response(bytes, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/** Response headers from node's raw name/value list (repeated headers kept). */
function headersOf(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}
