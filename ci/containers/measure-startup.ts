// Measures how long each infrastructure provider takes to start (PostgreSQL, RabbitMQ, Toxiproxy,
// the reference topology's databases and proxies) and to stop, a few runs each, and prints the
// median. Usage: node ci/containers/measure-startup.ts [runs=3]
// (the containers provider needs the engine and images: see setup-docker.sh, build-images.sh,
// images.env).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { referenceTopology, startInfra } from '@harness/runtime';

interface Stoppable {
  stop(): Promise<void>;
}

const runs = Number(process.argv[2] ?? 3);
const providers: Record<string, (runDir: string) => Promise<Stoppable>> = {
  local: (runDir) => startInfra({ runDir, topology: referenceTopology(), provider: 'local' }),
  containers: (runDir) => startInfra({ runDir, topology: referenceTopology(), provider: 'containers' }),
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

for (const [name, start] of Object.entries(providers)) {
  const startMs: number[] = [];
  const stopMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `harness-measure-${name}-`));
    const t0 = performance.now();
    const infra = await start(runDir);
    const t1 = performance.now();
    await infra.stop();
    const t2 = performance.now();
    fs.rmSync(runDir, { recursive: true, force: true });
    startMs.push(t1 - t0);
    stopMs.push(t2 - t1);
    console.log(`${name} run ${i + 1}: start ${(t1 - t0).toFixed(0)} ms, stop ${(t2 - t1).toFixed(0)} ms`);
  }
  console.log(`${name}: median start ${median(startMs).toFixed(0)} ms, median stop ${median(stopMs).toFixed(0)} ms`);
}
