import fs from 'node:fs';
import { addressOf, isAlive, readRunState, type ProxyAddress } from '@harness/runtime';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ChaosService } from '../scenario/Scenario.ts';
import { brokerControl, unsupportedBrokerControl } from './brokerControl.ts';
import type { ChaosSystem } from './ChaosSystem.ts';
import { chaosTappedLinks, kitConfig } from './kitSystem.ts';
import type { LinkTap } from './LinkTap.ts';
import { tapFor } from './tapFor.ts';
import { hasProxyMetrics } from './toxiproxyWithMetrics.ts';

/**
 * Attaches to the system `harness up` runs (from .harness/run.json). The runner does not own its
 * processes: it may pause them (SIGSTOP/SIGCONT) but not kill or reconfigure them, so scenarios
 * that need that are skipped. Taps are put on the HTTP and gRPC links by pointing their proxies at them;
 * close() points the proxies back.
 */
export async function attachToRun(): Promise<ChaosSystem> {
  const state = readRunState();
  if (!state || state.status !== 'ready' || !state.infra || !state.secrets) {
    throw new Error('no ready run to attach to; start one with `harness up` (or run without --attach)');
  }
  if (!isAlive(state.supervisorPid)) throw new Error(`the run's supervisor (pid ${state.supervisorPid}) is gone`);
  if (state.wiring === 'direct')
    throw new Error(
      'the running system was started with `harness up --direct`: its services bypass Toxiproxy, so no fault can reach them; restart it without --direct (`harness down`, `harness up`)',
    );
  const infra = state.infra;
  const toxiproxy = new Toxiproxy(infra.toxiproxy.url);
  const taps = new Map<string, LinkTap>();
  const changed: ProxyAddress[] = [];
  const restore = async (): Promise<void> => {
    for (const proxy of changed) {
      await (
        await toxiproxy.get(proxy.name)
      )
        .update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream })
        .catch(() => undefined);
    }
    await Promise.allSettled([...taps.values()].map((tap) => tap.close()));
  };
  try {
    for (const proxy of infra.proxies.filter(
      (p) => p.kind === 'link' && p.link !== undefined && chaosTappedLinks().includes(p.link),
    )) {
      const link = kitConfig().topology.links.find((candidate) => candidate.id === proxy.link);
      if (link === undefined) continue;
      const tap = tapFor(link, proxy.upstream);
      await tap.listen();
      taps.set(link.id, tap);
      await (await toxiproxy.get(proxy.name)).update({ enabled: true, listen: proxy.listen, upstream: tap.address });
      changed.push(proxy);
    }
  } catch (error) {
    await restore();
    throw error;
  }
  const pidOf = (name: ChaosService): number | undefined => {
    const pid = state.processes.find((proc) => proc.name === name)?.pid;
    return pid !== undefined && isAlive(pid) ? pid : undefined;
  };
  const unsupported = (what: string) => async (): Promise<never> => {
    throw new Error(`${what} needs a system the chaos runner started (run without --attach)`);
  };
  const system: ChaosSystem = {
    mode: 'attached',
    infra,
    secrets: state.secrets,
    toxiproxy,
    proxyMetrics: await hasProxyMetrics(infra.toxiproxy.url),
    taps,
    frontTaps: new Map(),
    canRestart: false,
    broker: infra.rabbitmq
      ? brokerControl(infra.rabbitmq.pid, infra.containers?.rabbitmq)
      : unsupportedBrokerControl('stopping Kafka needs a system the chaos runner started (run without --attach)'),
    url: (name) => addressOf(infra, name).url,
    pid: pidOf,
    isRunning: (name) => pidOf(name) !== undefined,
    env: (name) => processEnv(pidOf(name)),
    proxy(name) {
      const proxy = infra.proxies.find((candidate) => candidate.name === name);
      if (!proxy) throw new Error(`no proxy ${name}`);
      return proxy;
    },
    signal(name, signal) {
      const pid = pidOf(name);
      if (pid === undefined || signal === 'SIGKILL' || signal === 'SIGTERM') return false;
      process.kill(pid, signal);
      return true;
    },
    start: unsupported('starting a service'),
    restart: unsupported('restarting a service'),
    async applyEnv(overrides) {
      if (Object.keys(overrides).length > 0) await unsupported('changing a service env')();
      return [];
    },
    close: restore,
  };
  return system;
}

/** The env of a running process (readable for processes of the same user). */
function processEnv(pid: number | undefined): Record<string, string> {
  if (pid === undefined) return {};
  try {
    const env: Record<string, string> = {};
    for (const entry of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const at = entry.indexOf('=');
      if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
    }
    return env;
  } catch {
    return {};
  }
}
