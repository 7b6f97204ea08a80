import { randomUUID } from 'node:crypto';
import type { RequestStream } from './SystemScenario.ts';

/** One request of a stream and what came back. */
export interface RequestRecord {
  stream: string;
  index: number;
  startMs: number;
  endMs: number;
  /** 0: no answer (connection error, or the workload gave up). */
  status: number;
  /** The Idempotency-Key it carried, if any. */
  key: string | undefined;
  /** The Retry-After header of the answer, if it had one. */
  retryAfter?: string;
  error?: string;
}

/** `{i}` and `{uuid}` in a string; objects and arrays filled through. */
function fillRequestTemplate(value: unknown, index: number): unknown {
  if (typeof value === 'string') return value.replace(/\{i\}/g, String(index)).replace(/\{uuid\}/g, () => randomUUID());
  if (Array.isArray(value)) return value.map((item) => fillRequestTemplate(item, index));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillRequestTemplate(item, index)]));
  return value;
}

/**
 * Sends every stream's requests to its service (`urlOf`), each stream from its `startMs` on with
 * `concurrency` workers, and records every answer. Bounded: `count` requests per stream, each
 * given up after its timeout.
 */
export async function runRequestWorkload(
  streams: readonly RequestStream[],
  urlOf: (service: string) => string,
  t0: number,
): Promise<RequestRecord[]> {
  const records: RequestRecord[] = [];
  await Promise.all(
    streams.map(async (stream) => {
      const wait = t0 + (stream.startMs ?? 0) - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < stream.count; index = next++) {
          records.push(await sendOne(stream, urlOf(stream.service), index));
          if (stream.intervalMs) await new Promise((resolve) => setTimeout(resolve, stream.intervalMs));
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, stream.concurrency ?? 1) }, worker));
    }),
  );
  return records.sort((a, b) => a.startMs - b.startMs);
}

async function sendOne(stream: RequestStream, baseUrl: string, index: number): Promise<RequestRecord> {
  const key = stream.idempotencyKey ? randomUUID() : undefined;
  const headers: Record<string, string> = {
    ...(fillRequestTemplate(stream.headers ?? {}, index) as Record<string, string>),
    ...(key ? { 'idempotency-key': key } : {}),
  };
  let body: string | undefined;
  if (stream.body !== undefined) {
    body = JSON.stringify(fillRequestTemplate(stream.body, index));
    headers['content-type'] ??= 'application/json';
  }
  const startMs = Date.now();
  try {
    const response = await fetch(`${baseUrl}${fillRequestTemplate(stream.path, index) as string}`, {
      method: stream.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(stream.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer();
    const retryAfter = response.headers.get('retry-after');
    return {
      stream: stream.id,
      index,
      startMs,
      endMs: Date.now(),
      status: response.status,
      key,
      ...(retryAfter === null ? {} : { retryAfter }),
    };
  } catch (error) {
    const reason =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return { stream: stream.id, index, startMs, endMs: Date.now(), status: 0, key, error: reason };
  }
}
