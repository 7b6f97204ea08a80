import fs from 'node:fs';
import path from 'node:path';
import { ManagedProcess } from '../process.ts';
import { freePort, isListening, LOOPBACK } from '../ports.ts';
import { requireTool } from '../tools.ts';
import { waitUntil } from '../wait.ts';

export interface JaegerServer {
  /** Base URL of the OTLP/HTTP receiver; services export to `${otlpUrl}/v1/traces`. */
  otlpUrl: string;
  /** host:port of the OTLP/gRPC receiver. */
  otlpGrpcAddress: string;
  /** Base URL of the query service: the UI at `/`, the JSON API under `/api`. */
  uiUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface JaegerOptions {
  dir: string;
  logDir: string;
  /** Traces kept in memory; the oldest go first. Default 2000 (a reference-system order: ~25 KiB). */
  maxTraces?: number;
  /**
   * A built jaeger-ui (its `packages/jaeger-ui/build`) to serve as the web UI; a Go-module build
   * of Jaeger has none, so by default its root page is a placeholder (the query API works).
   */
  uiAssetsDir?: string;
  /** The Go runtime's soft memory limit (GOMEMLIMIT). Default 128MiB. */
  memoryLimit?: string;
  readyTimeoutMs?: number;
  /** Where the binary is looked up and what the process inherits. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_TRACES = 2_000;

interface JaegerPorts {
  otlpHttp: number;
  otlpGrpc: number;
  queryHttp: number;
  queryGrpc: number;
  health: number;
}

/**
 * The Jaeger v2 configuration of a run: OTLP in (HTTP and gRPC), in-memory storage holding at most
 * `maxTraces` traces, the query service and UI, a health check; every port on loopback, no
 * telemetry of its own (the collector's default Prometheus port 8888 would collide between runs).
 * Logs at error only: its query service keeps retrying a self-tracing exporter on the default
 * 127.0.0.1:4317, warning each time, though self-tracing is off.
 */
export function jaegerConfig(ports: JaegerPorts, maxTraces: number, uiAssetsDir?: string): string {
  const at = (port: number): string => `${LOOPBACK}:${port}`;
  return `service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    traces:
      level: none
    logs:
      level: error
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: ${at(ports.health)}
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${maxTraces}
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: ${at(ports.queryHttp)}
    grpc:
      endpoint: ${at(ports.queryGrpc)}${uiAssetsDir === undefined ? '' : `\n    ui:\n      assets_path: ${JSON.stringify(uiAssetsDir)}`}
receivers:
  otlp:
    protocols:
      http:
        endpoint: ${at(ports.otlpHttp)}
      grpc:
        endpoint: ${at(ports.otlpGrpc)}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/**
 * Jaeger v2 (the OpenTelemetry-collector-based `jaeger` binary ci/setup.sh builds) with in-memory
 * storage: its config file in `dir`, its log in `logDir/jaeger.log`. Ready once the query API
 * answers and both OTLP receivers accept connections: the collector starts its extensions (the
 * query service) before its pipelines, so on a busy machine the query API answered while a span
 * sent right after the start was refused.
 */
export async function startJaeger(opts: JaegerOptions): Promise<JaegerServer> {
  const env = opts.env ?? process.env;
  const bin = requireTool('jaeger', env);
  const ports: JaegerPorts = {
    otlpHttp: await freePort(),
    otlpGrpc: await freePort(),
    queryHttp: await freePort(),
    queryGrpc: await freePort(),
    health: await freePort(),
  };
  fs.mkdirSync(opts.dir, { recursive: true });
  const configFile = path.join(opts.dir, 'jaeger.yaml');
  fs.writeFileSync(configFile, jaegerConfig(ports, opts.maxTraces ?? DEFAULT_MAX_TRACES, opts.uiAssetsDir));
  const proc = new ManagedProcess({
    name: 'jaeger',
    command: bin,
    args: ['--config', `file:${configFile}`],
    logFile: path.join(opts.logDir, 'jaeger.log'),
    cwd: opts.dir,
    env: { ...env, GOMEMLIMIT: opts.memoryLimit ?? '128MiB' },
  });
  const uiUrl = `http://${LOOPBACK}:${ports.queryHttp}`;
  try {
    const ready = async (): Promise<boolean> =>
      (await fetch(`${uiUrl}/api/services`)).ok &&
      (await isListening(ports.otlpHttp)) &&
      (await isListening(ports.otlpGrpc));
    await waitUntil('Jaeger', ready, {
      timeoutMs: opts.readyTimeoutMs ?? 30_000,
      intervalMs: 200,
      failed: () => proc.exitReason(),
    });
  } catch (error) {
    await proc.stop(1_000);
    throw error;
  }
  return {
    otlpUrl: `http://${LOOPBACK}:${ports.otlpHttp}`,
    otlpGrpcAddress: `${LOOPBACK}:${ports.otlpGrpc}`,
    uiUrl,
    process: proc,
    stop: () => proc.stop(3_000),
  };
}
