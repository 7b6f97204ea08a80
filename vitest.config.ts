import { defineConfig } from 'vitest/config';

// One project per workspace package; tests that need real infrastructure get it from the
// global setup in @harness/runtime (one PostgreSQL + RabbitMQ + Toxiproxy for the whole run).
const packages = [
  'contracts',
  'runtime',
  'services/kit',
  'services/inventory',
  'services/payment',
  'services/order',
  'services/notification',
  'services/gateway',
  'services/storefront',
  'pact',
  'chaos',
  'ci',
];

// The containers provider's own tests need a Docker engine and the harness images: they run in the
// `containers` stage (ci/containers/stage.sh sets HARNESS_PROVIDER=containers), not in every run.
const containersStage = process.env.HARNESS_PROVIDER === 'containers';
// The reference system on Kafka end to end runs in the `kafka` stage (ci/kafka/stage.sh sets
// HARNESS_BROKER=kafka), not twice per run.
const kafkaStage = process.env.HARNESS_BROKER === 'kafka';
const excludedIn = (dir: string): string[] => [
  ...(dir === 'runtime' && !containersStage ? ['test/containers.test.ts'] : []),
  ...(dir === 'ci' && !kafkaStage ? ['test/systemKafka.test.ts'] : []),
  ...(isolatedFiles[dir] ?? []),
  ...(lastFiles[dir] ?? []),
];

// A worker runs file after file without reloading the modules they share (the kit, the runtime,
// their dependencies): on this machine the tests stage is bound by CPU, and a fresh process with
// fresh imports per file cost about 40 s of the stage's 295 s. Files that install process-wide
// state that cannot be undone run in a fresh process of their own, in the project
// `<package> (isolated)`: OpenTelemetry's global tracer provider is set once per process (the kit
// installs it on first use), and these files install one that records spans in memory.
// HARNESS_TEST_ISOLATE=1 runs every file in a process of its own.
const isolatedFiles: Record<string, string[]> = {
  'services/kit': ['test/spanExport.test.ts', 'test/grpcTracing.test.ts'],
};

// A file that runs chaos scenarios with time bounds on a started system (an open breaker answers
// within 250 ms, the flow resumes within 2.9 s): beside the files that keep both cores busy (the
// bench drives the system to saturation on purpose) those bounds failed. It runs last, in a group
// of its own (`<package> (after the rest)`), with CPU to spare. (chaos/test/runnerParallel.test.ts
// runs scenarios without time bounds: it stays with the rest.)
const lastFiles: Record<string, string[]> = {
  chaos: ['test/runnerEndToEnd.test.ts'],
};
const isolateAll = process.env.HARNESS_TEST_ISOLATE === '1';

// Three files at a time by default (Vitest's own default on two cores is one): most files wait on
// PostgreSQL, RabbitMQ, a started service, Jaeger or a Kafka node, so three halve the stage on this
// machine. Files isolate themselves (a database per file, unique queue and proxy names, ports from a
// slice of the range per worker: runtime/src/ports.ts). HARNESS_TEST_WORKERS=1 runs one at a time.
const workers = Number(process.env.HARNESS_TEST_WORKERS ?? '') || 3;

export default defineConfig({
  test: {
    globalSetup: ['runtime/src/testing/globalSetup.ts'],
    maxWorkers: workers,
    projects: packages.flatMap((dir) => {
      const name = `@harness/${dir.split('/').pop() ?? dir}`;
      const common = {
        root: dir,
        testTimeout: 60_000,
        hookTimeout: 120_000,
        // Every response a service's handler gives in a test is checked against its spec: a
        // mismatch is a 500, so the test that caused it fails (services/kit/src/app/responseValidator.ts).
        env: { HARNESS_VALIDATE_RESPONSES: process.env.HARNESS_VALIDATE_RESPONSES ?? 'enforce' },
      };
      const isolated = isolatedFiles[dir] ?? [];
      const last = lastFiles[dir] ?? [];
      return [
        {
          test: {
            ...common,
            name,
            include: ['test/**/*.test.ts'],
            exclude: ['**/node_modules/**', ...excludedIn(dir)],
            isolate: isolateAll,
          },
        },
        ...(isolated.length === 0
          ? []
          : [{ test: { ...common, name: `${name} (isolated)`, include: isolated, isolate: true } }]),
        ...(last.length === 0
          ? []
          : [
              {
                test: {
                  ...common,
                  name: `${name} (after the rest)`,
                  include: last,
                  isolate: isolateAll,
                  sequence: { groupOrder: 1 },
                },
              },
            ]),
      ];
    }),
  },
});
