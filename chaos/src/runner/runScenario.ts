import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { checkResponses } from '../expectations/responseExpectations.ts';
import { FaultController, type FaultRecord } from '../faults/FaultController.ts';
import type { ServiceDatabase } from '../invariants/Invariant.ts';
import { readEffectivePolicies } from '../observe/effectivePolicies.ts';
import { MetricsSampler } from '../observe/MetricsSampler.ts';
import { ResilienceLogCollector } from '../observe/ResilienceLogCollector.ts';
import type { Scenario } from '../scenario/Scenario.ts';
import { chaosServices, entryService, kitDomain, outboxService, tunedEnvOf } from '../system/kitSystem.ts';
import { workloadLinkClients } from '../workload/linkClients.ts';
import { rabbitMqUrlOf } from '../system/brokerControl.ts';
import type { ResponseRecord } from '../workload/ResponseRecord.ts';
import { runWorkload } from '../workload/runWorkload.ts';
import { buildTimeline, evaluateOracles, toleranceFor } from './evaluateOracles.ts';
import { judgeFromTheWire } from './judgeFromTheWire.ts';
import type { RunContext } from './RunContext.ts';
import { emptyRun, type ScenarioRun } from './ScenarioRun.ts';
import { settleInvariants } from './settleInvariants.ts';
import { awaitSteadyState, type ProbeContext } from './steadyState.ts';
import { assessVacuity } from './vacuity.ts';

const STEADY_STATE_WITHIN_MS = 20_000;
const EVIDENCE_GRACE_MS = 3_000;

/**
 * Why a scenario cannot run on this system: an attached system cannot kill or reconfigure its
 * services, and the scenarios' bounds are calibrated on the chaos-tuned env.
 */
function cannotRun(scenario: Scenario, context: RunContext): string | undefined {
  if (context.system.canRestart) return undefined;
  if (Object.keys(scenario.serviceEnv ?? {}).length > 0) return 'needs its own service env (run without --attach)';
  const mismatches = envMismatches(context.system);
  if (mismatches.length > 0) {
    return `the attached system does not run the chaos-tuned env (${mismatches.slice(0, 3).join(', ')}${mismatches.length > 3 ? ', …' : ''}); start it with \`env $(harness chaos --print-env) harness up\``;
  }
  const restarts = scenario.faults.some((f) => f.kind === 'process' && f.action !== 'pause');
  if (restarts || (scenario.rollback ?? []).some((step) => step.kind === 'restart-service')) {
    return 'kills or restarts a service (run without --attach)';
  }
  return undefined;
}

/** Tuned settings a running system differs in, as `service NAME=actual (chaos-tuned: value)`. */
function envMismatches(system: RunContext['system']): string[] {
  const found: string[] = [];
  for (const service of chaosServices()) {
    const actual = system.env(service);
    for (const [name, value] of Object.entries(tunedEnvOf(service))) {
      if (name === 'LOG_LEVEL' || actual[name] === value) continue;
      found.push(`${service} ${name}=${actual[name] ?? 'default'} (chaos-tuned: ${value})`);
    }
  }
  return found;
}

/**
 * One scenario, start to verdict: services on the scenario's env, steady state, faults on their
 * schedule while the workload runs, rollback (always), recovery, invariants until they settle,
 * oracles, response expectations and the vacuity check.
 */
export async function runScenario(scenario: Scenario, repeat: number, context: RunContext): Promise<ScenarioRun> {
  const { system, log } = context;
  const started = Date.now();
  const run = emptyRun(scenario, repeat, started);
  const skip = cannotRun(scenario, context);
  if (skip) return { ...run, status: 'skipped', failures: [skip] };

  run.restartedForEnv = await system.applyEnv(scenario.serviceEnv ?? {});
  if (run.restartedForEnv.length > 0) log(`  restarted ${run.restartedForEnv.join(', ')} for the scenario's env`);
  // What the oracles hold the policies to: what the services run with now, not what their env should give.
  const policies = await readEffectivePolicies(system);
  run.policies = policies.policies;
  for (const problem of policies.problems) log(`  effective resilience settings: ${problem}`);
  const collector = new ResilienceLogCollector(system);
  const sampler = new MetricsSampler(system);
  const keyPrefix = `chaos-${context.runTag}-${scenario.id}-${repeat}-${randomBytes(3).toString('hex')}`;
  const client = kitDomain().client({ baseUrl: system.url(entryService()), secrets: system.secrets });
  const linkClients = workloadLinkClients(scenario, system);
  const outboxDb = context.db(outboxService());
  const probeContext: ProbeContext = { system, client, outboxDb, keyPrefix, placedOrderIds: [] };
  const sinceIso = new Date(Date.now() - 1_000).toISOString();
  for (const tap of [...system.taps.values(), ...system.frontTaps.values()]) tap.clear();
  const baseline = (await kitDomain().baseline?.(context.db)) ?? {};
  await collector.reset();
  collector.start();
  sampler.start();
  const experiment = new AbortController();
  const abortExperiment = (): void => experiment.abort();
  context.signal.addEventListener('abort', abortExperiment);
  const limit = setTimeout(abortExperiment, scenario.timeLimitMs);
  const sqlCounts = new Map<number, number>();
  const faults = new FaultController({
    system,
    scenario: scenario.id,
    outboxDb,
    dbOf: context.db,
    sinceIso,
    runTag: context.runTag,
    ...(context.seed === undefined ? {} : { seed: context.seed }),
    poisons: context.poisons,
    log,
    beforeInject: async (fault) => {
      await sampler.sampleNow();
      const specs = scenario.expectations.evidence ?? [];
      for (const [index, spec] of specs.entries()) {
        if (spec.kind !== 'sql-at-fault' || spec.fault !== fault.id) continue;
        const { rows } = await context
          .db(spec.service as ServiceDatabase)
          .query<{ count: string }>(spec.sql, [sinceIso]);
        sqlCounts.set(index, Number(Object.values(rows[0] ?? {})[0] ?? 0));
      }
    },
  });
  let t0 = Date.now();
  let experimentEndMs = t0;
  try {
    run.steadyState = await awaitSteadyState(
      scenario.steadyState,
      probeContext,
      STEADY_STATE_WITHIN_MS,
      context.signal,
    );
    if (!run.steadyState.every((probe) => probe.passed)) {
      run.failures.push(
        `steady state not reached: ${run.steadyState
          .filter((p) => !p.passed)
          .map((p) => `${p.probe}: ${p.detail}`)
          .join('; ')}`,
      );
    } else {
      log(`  experiment: ${scenario.faults.length} fault(s), ${scenario.workload.length} stream(s)`);
      // Faults at t = 0 are in force before the first request goes out.
      const atStart = scenario.faults.filter((fault) => fault.startMs === 0);
      for (const fault of atStart) await faults.inject(fault);
      t0 = Date.now();
      const responses: ResponseRecord[] = [];
      await Promise.all([
        faults.schedule(scenario.faults, t0, experiment.signal, new Set(atStart.map((fault) => fault.id))),
        runWorkload(scenario.workload, {
          client,
          linkClients,
          t0,
          signal: experiment.signal,
          keyPrefix,
          referenceOrderIds: probeContext.placedOrderIds,
          onResponse: (record) => responses.push(record),
        }),
      ]);
      run.responses = responses;
      experimentEndMs = Date.now();
      await sampler.sampleNow();
    }
  } catch (error) {
    run.failures.push(`experiment failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(limit);
    run.rollback = await faults.rollback();
    for (const step of scenario.rollback ?? []) {
      run.rollback.push(await extraRollback(step, context));
    }
    context.signal.removeEventListener('abort', abortExperiment);
  }
  for (const step of run.rollback.filter((s) => !s.ok))
    run.failures.push(`rollback step failed: ${step.step}: ${step.error ?? ''}`);
  run.faults = [...faults.records.values()];
  for (const fault of run.faults.filter((f) => f.error)) run.failures.push(`fault ${fault.id}: ${fault.error ?? ''}`);

  if (run.steadyState.length > 0 && run.steadyState.every((p) => p.passed)) {
    run.recovery = await awaitSteadyState(
      scenario.recovery.probes,
      probeContext,
      scenario.recovery.withinMs,
      context.signal,
    );
    if (!run.recovery.every((p) => p.passed)) {
      run.failures.push(
        `no recovery within ${scenario.recovery.withinMs} ms: ${run.recovery
          .filter((p) => !p.passed)
          .map((p) => `${p.probe}: ${p.detail}`)
          .join('; ')}`,
      );
    }
    run.invariants = await settleInvariants(
      scenario.expectations.invariants,
      {
        scenario: scenario.id,
        db: context.db,
        sinceIso,
        baseline,
        poisons: context.poisons,
        amqpUrl: system.infra.rabbitmq?.url,
        ...(system.infra.kafka ? { kafkaBootstrap: system.infra.kafka.internalBootstrap } : {}),
        deadLetterQueues: kitDomain().deadLetterQueues,
      },
      experimentEndMs + scenario.expectations.settleWithinMs,
      context.signal,
    );
    for (const invariant of run.invariants.filter((i) => !i.passed)) {
      run.failures.push(`invariant ${invariant.name}: ${invariant.violations.slice(0, 3).join('; ')}`);
    }
  }
  // The evidence window runs to EVIDENCE_GRACE_MS after the experiment: a consumer may count a
  // redelivery or a dead letter a moment after a message fault. When the evidence rests on such
  // counters, sample once more at the window's end (just inside it), however fast the scenario settled.
  const countsLater =
    scenario.faults.some((fault) => fault.kind === 'message') ||
    (scenario.expectations.evidence ?? []).some((spec) => spec.kind === 'counter');
  const graceLeft = experimentEndMs + EVIDENCE_GRACE_MS - 200 - Date.now();
  if (countsLater && graceLeft > 0) await new Promise((resolve) => setTimeout(resolve, graceLeft));
  await sampler.sampleNow();
  await awaitLateCounters(scenario, faults.records, sampler, context.signal);
  await collector.stop();
  await sampler.stop();
  const events = collector.events();
  const windowContext = { t0, endMs: experimentEndMs, faults: faults.times(), events };
  run.expectations = (scenario.expectations.responses ?? []).map((e) =>
    checkResponses(e, run.responses, windowContext),
  );
  for (const expectation of run.expectations.filter((e) => !e.passed)) {
    run.failures.push(`responses ${expectation.expectation}: ${expectation.failures.join('; ')}`);
  }
  run.oracles = [
    ...evaluateOracles({ scenario, system, events, responses: run.responses, startMs: started, policies }),
    ...judgeFromTheWire({
      scenario,
      system,
      responses: run.responses,
      policies,
      faults: faults.times(),
      startMs: started,
      experimentEndMs,
      toleranceMs: (link) => toleranceFor(scenario, link),
    }),
  ];
  for (const oracle of run.oracles.filter((o) => !o.passed)) {
    const failed = oracle.checks.filter((c) => !c.passed).map((c) => `${c.name} (${c.detail})`);
    run.failures.push(`oracle ${oracle.oracle}: ${failed.join('; ')}`);
  }
  run.evidence = assessVacuity({
    faults: scenario.faults,
    records: faults.records,
    evidence: scenario.expectations.evidence ?? [],
    sqlCounts,
    sampler,
    system,
    responses: run.responses,
    experimentEndMs,
    graceMs: EVIDENCE_GRACE_MS,
  });
  run.timeline = buildTimeline(scenario, system, events, sampler, t0, Math.max(experimentEndMs, Date.now()));
  run.durationMs = Date.now() - started;
  if (run.durationMs > scenario.timeLimitMs)
    run.failures.push(`took ${run.durationMs} ms, over its limit of ${scenario.timeLimitMs} ms`);
  if (context.signal.aborted) run.failures.push('interrupted');
  const untouched = run.evidence.filter((e) => !e.touched);
  if (run.failures.length > 0) run.status = 'failed';
  else if (untouched.length > 0) {
    run.status = 'vacuous';
    run.failures.push(...untouched.map((e) => `fault ${e.fault} never touched traffic (${e.empty.join('; ')})`));
  }
  return run;
}

async function extraRollback(step: NonNullable<Scenario['rollback']>[number], context: RunContext) {
  try {
    if (step.kind === 'restart-service') await context.system.restart(step.service);
    else await purgeQueue(context, step.queue);
    return { step: `${step.kind} ${'service' in step ? step.service : step.queue}`, ok: true };
  } catch (error) {
    return { step: step.kind, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

async function purgeQueue(context: RunContext, queue: string): Promise<void> {
  const connection = await amqp.connect(rabbitMqUrlOf(context.system.infra, 'purging a queue'));
  try {
    const channel = await connection.createChannel();
    await channel.purgeQueue(queue);
  } finally {
    await connection.close();
  }
}

/**
 * Waits, sampling, until each counter evidence with a grace of its own has its count, or its grace
 * after the fault's lift has passed (then the vacuity check says it came out empty).
 */
async function awaitLateCounters(
  scenario: Scenario,
  records: ReadonlyMap<string, FaultRecord>,
  sampler: MetricsSampler,
  signal: AbortSignal,
): Promise<void> {
  const late = (scenario.expectations.evidence ?? []).flatMap((spec) => {
    const record = records.get(spec.fault);
    if (spec.kind !== 'counter' || spec.graceMs === undefined || record?.injectedAtMs === undefined) return [];
    const from = record.injectedAtMs;
    const until = (record.liftedAtMs ?? Date.now()) + spec.graceMs;
    return [{ spec, from, until }];
  });
  const counted = ({ spec, from, until }: (typeof late)[number]): boolean =>
    sampler.counterDelta(spec.service, spec.metric, spec.labels ?? {}, from, until) >= spec.min;
  while (!signal.aborted) {
    const waiting = late.filter((one) => !counted(one) && Date.now() < one.until);
    if (waiting.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
    await sampler.sampleNow();
  }
}
