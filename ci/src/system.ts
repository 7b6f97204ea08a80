import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { referenceTopology, startInfra, stateDir, type Infra, type OwnedProcess } from '@harness/runtime';

export interface RunningSystem {
  infra: Infra;
  processes: OwnedProcess[];
  summary: string[];
  stop(): Promise<void>;
}

export interface SystemOptions {
  seed?: number;
  toxiproxyPort?: number;
  log?: (line: string) => void;
}

/** Starts the infrastructure and proxies of the reference topology (services join in `services.ts`). */
export async function startSystem(opts: SystemOptions = {}): Promise<RunningSystem> {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-run-'));
  const log = opts.log ?? (() => undefined);
  log(`run dir ${runDir}`);
  let infra: Infra;
  try {
    infra = await startInfra({
      runDir,
      topology: referenceTopology,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.toxiproxyPort === undefined ? {} : { toxiproxyPort: opts.toxiproxyPort }),
    });
  } catch (error) {
    keepLogs(runDir);
    fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  const d = infra.description;
  const processes: OwnedProcess[] = [
    { name: 'postgresql', pid: d.postgres.pid, match: 'postgres' },
    { name: 'rabbitmq', pid: d.rabbitmq.pid, match: 'rabbit' },
    { name: 'epmd', pid: d.rabbitmq.epmdPid, match: 'epmd' },
    { name: 'toxiproxy', pid: d.toxiproxy.pid, match: 'toxiproxy' },
  ];
  const summary = [
    `postgresql   ${d.postgres.url.replace(/:[^:@/]+@/, ':***@')}`,
    `rabbitmq     amqp://${new URL(d.rabbitmq.url).host}`,
    `toxiproxy    ${d.toxiproxy.url} (${d.proxies.length} proxies)`,
    `logs         ${d.logDir}`,
  ];
  return {
    infra,
    processes,
    summary,
    async stop() {
      await infra.stop();
      keepLogs(runDir);
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Keeps the logs of the last run under .harness/logs/last after its temp dir is removed. */
function keepLogs(runDir: string): void {
  const from = path.join(runDir, 'logs');
  if (!fs.existsSync(from)) return;
  const to = path.join(stateDir(), 'logs', 'last');
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}
