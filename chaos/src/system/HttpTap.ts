import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestSelector, type RequestFacts, type RequestFaultSpec } from '../faults/requestFaults.ts';
import type { LinkTap, TappedRequest } from './LinkTap.ts';

export type { TappedRequest } from './LinkTap.ts';

interface ActiveFault {
  id: string;
  spec: RequestFaultSpec;
  hits: (facts: RequestFacts) => boolean;
  /** Responses a `hang` fault holds open: cut when the fault is lifted. */
  held: Set<http.ServerResponse>;
}

/**
 * A recording HTTP relay between a Toxiproxy proxy and the service behind it:
 * caller → Toxiproxy (toxics) → tap → service. It forwards every request unchanged and records
 * what reached the service (method, path, Idempotency-Key, traceparent, timing, status). That is
 * the ground truth the oracles check the services' own resilience logs against: which calls
 * reached a dependency while its breaker was open, how many attempts one call made and whether a
 * retried POST carried a key, how many calls were in flight at once.
 */
export class HttpTap implements LinkTap {
  readonly link: string;
  readonly target: { host: string; port: number };
  readonly #server: http.Server;
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  #records: TappedRequest[] = [];
  #faults: ActiveFault[] = [];
  #port = 0;

  /**
   * `front`: the tap sits in front of Toxiproxy (caller → tap → Toxiproxy → service), so it sees
   * every attempt the caller makes, including those a fault kills: an upstream connection error
   * resets the caller's connection (instead of answering 502), and a caller that gives up ends the
   * attempt there and then (recorded at once, the upstream request abandoned).
   */
  readonly front: boolean;

  constructor(link: string, target: { host: string; port: number }, options: { front?: boolean } = {}) {
    this.link = link;
    this.target = target;
    this.front = options.front === true;
    this.#server = http.createServer((request, response) => this.#relay(request, response));
    this.#server.keepAliveTimeout = 30_000;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.address;
  }

  get address(): string {
    return `127.0.0.1:${this.#port}`;
  }

  /** Requests recorded since `sinceMs` (all when undefined), in arrival order. */
  records(sinceMs?: number): TappedRequest[] {
    return sinceMs === undefined ? [...this.#records] : this.#records.filter((r) => r.startMs >= sinceMs);
  }

  clear(): void {
    this.#records = [];
  }

  /**
   * Puts a request-level fault in force: from now on each request its selector picks gets the
   * fault's action instead of plain forwarding (the first fault in force that picks a request
   * takes it). `seed` makes a `share` pick the same requests run after run.
   */
  injectFault(id: string, spec: RequestFaultSpec, seed = 0): void {
    if (this.#faults.some((fault) => fault.id === id)) throw new Error(`request fault ${id} is already in force`);
    this.#faults.push({ id, spec, hits: requestSelector(id, spec.select, seed), held: new Set() });
  }

  /** Lifts a request-level fault; requests it holds (`hang`) are cut. */
  liftFault(id: string): void {
    const fault = this.#faults.find((candidate) => candidate.id === id);
    this.#faults = this.#faults.filter((candidate) => candidate.id !== id);
    for (const response of fault?.held ?? []) response.destroy();
  }

  /** Lifts every request-level fault (rollback). */
  liftAllFaults(): string[] {
    const ids = this.#faults.map((fault) => fault.id);
    for (const id of ids) this.liftFault(id);
    return ids;
  }

  /** Requests a request-level fault hit, since `sinceMs`. */
  hitsOf(id: string, sinceMs?: number): TappedRequest[] {
    return this.records(sinceMs).filter((record) => record.fault === id);
  }

  async close(): Promise<void> {
    this.liftAllFaults();
    this.#agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #relay(request: http.IncomingMessage, response: http.ServerResponse): void {
    const record: TappedRequest = {
      link: this.link,
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      idempotencyKey: headerOf(request, 'idempotency-key'),
      traceparent: headerOf(request, 'traceparent'),
      startMs: Date.now(),
      endMs: 0,
      status: undefined,
      retryAfterMs: undefined,
      callerGone: false,
      callerGoneMs: undefined,
    };
    const done = (): void => {
      if (record.endMs !== 0) return;
      record.endMs = Date.now();
      this.#records.push(record);
    };
    const facts: RequestFacts = { method: record.method, path: record.path, headers: request.headers };
    const fault = this.#faults.find((candidate) => candidate.hits(facts));
    if (fault) {
      record.fault = fault.id;
      const { action } = fault.spec;
      switch (action.kind) {
        case 'status': {
          request.resume();
          record.status = action.status;
          if (action.retryAfterS !== undefined) record.retryAfterMs = action.retryAfterS * 1000;
          const body = JSON.stringify({
            type: '/problems/injected-fault',
            title: 'Injected by the harness',
            status: action.status,
            detail: `request-level fault ${fault.id} on link ${this.link}`,
          });
          response.writeHead(action.status, {
            'content-type': 'application/problem+json',
            ...(action.retryAfterS === undefined ? {} : { 'retry-after': String(action.retryAfterS) }),
          });
          response.end(body, done);
          return;
        }
        case 'drop':
          done();
          request.socket.destroy();
          return;
        case 'hang':
          fault.held.add(response);
          response.on('close', () => {
            fault.held.delete(response);
            record.callerGone = !response.writableFinished;
            record.callerGoneMs = Date.now();
            done();
          });
          return;
        case 'delay': {
          const timer = setTimeout(() => this.#forward(request, response, record, done, false), action.delayMs);
          response.on('close', () => clearTimeout(timer));
          return;
        }
        case 'drop-mid-body':
          this.#forward(request, response, record, done, true);
          return;
      }
    }
    this.#forward(request, response, record, done, false);
  }

  /** Forwards to the target; `cutMidBody` sends the answer's head and half its body, then resets. */
  #forward(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    record: TappedRequest,
    done: () => void,
    cutMidBody: boolean,
  ): void {
    if (response.destroyed) {
      record.callerGone = true;
      record.callerGoneMs = Date.now();
      done();
      return;
    }
    const upstream = http.request(
      {
        host: this.target.host,
        port: this.target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent: this.#agent,
      },
      (answer) => {
        record.status = answer.statusCode;
        const retryAfter = answer.headers['retry-after'];
        if (typeof retryAfter === 'string' && /^\d+$/.test(retryAfter.trim()))
          record.retryAfterMs = Number(retryAfter) * 1000;
        if (cutMidBody) {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const body = Buffer.concat(chunks);
            const headers = { ...answer.headers, 'content-length': String(body.length) };
            response.writeHead(answer.statusCode ?? 502, headers);
            response.write(body.subarray(0, Math.floor(body.length / 2)), () => {
              done();
              response.destroy();
            });
          });
          answer.on('error', done);
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', done);
        answer.on('error', done);
      },
    );
    upstream.on('error', () => {
      done();
      if (!response.headersSent && !this.front) response.writeHead(502).end();
      else response.destroy();
    });
    response.on('close', () => {
      if (response.writableFinished) return;
      record.callerGone = true;
      record.callerGoneMs = Date.now();
      if (this.front) {
        done();
        upstream.destroy();
      }
    });
    request.pipe(upstream);
  }
}

function headerOf(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
