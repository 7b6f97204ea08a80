import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addressOf,
  launchService,
  newRunSecrets,
  serviceEnvironments,
  startInfra,
  type Infra,
  type LaunchedService,
  type ProxyAddress,
} from '@harness/runtime';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { ChaosService } from '../scenario/Scenario.ts';
import { chaosTappedLinks, chaosServices, kitConfig, tunedEnvOf } from './kitSystem.ts';
import { brokerControl, kafkaBrokerControl, unsupportedBrokerControl } from './brokerControl.ts';
import type { ChaosSystem } from './ChaosSystem.ts';
import { mergeEnv, type ServiceEnvOverrides } from './chaosTunedEnv.ts';
import type { LinkTap } from './LinkTap.ts';
import { tapFor } from './tapFor.ts';
import { hasProxyMetrics, replaceToxiproxyWithMetrics, type ReplacedToxiproxy } from './toxiproxyWithMetrics.ts';

export interface OwnedSystemOptions {
  /** Toxiproxy's seed for toxicity decisions. */
  seed?: number;
  /** Env on top of the chaos-tuned base for the first start (e.g. a deliberately broken config). */
  serviceEnv?: ServiceEnvOverrides;
  /** Where the services' logs are copied when the system stops. */
  keepLogsIn?: string;
  log?: (line: string) => void;
}

/**
 * Starts PostgreSQL, RabbitMQ and Toxiproxy (with per-proxy metrics) through the runtime, two taps on
 * every HTTP and gRPC link (one in front of its proxy, one behind it; `GrpcTap` on gRPC links), and
 * the five backend services with the chaos-tuned env, all in parallel. The
 * storefront is not started: chaos drives the gateway's API directly.
 */
export async function startOwnedSystem(options: OwnedSystemOptions = {}): Promise<ChaosSystem> {
  const log = options.log ?? (() => undefined);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-chaos-'));
  const services = new Map<ChaosService, { launched: LaunchedService | undefined; env: Record<string, string> }>();
  const taps = new Map<string, LinkTap>();
  const frontTaps = new Map<string, LinkTap>();
  let infra: Infra | undefined;
  let replaced: ReplacedToxiproxy | undefined;

  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([...services.values()].map(async (entry) => entry.launched?.stop()));
    await Promise.allSettled([...taps.values(), ...frontTaps.values()].map((tap) => tap.close()));
    await replaced?.process.stop(2_000);
    await infra?.stop();
    if (options.keepLogsIn && fs.existsSync(path.join(runDir, 'logs'))) {
      fs.mkdirSync(options.keepLogsIn, { recursive: true });
      fs.cpSync(path.join(runDir, 'logs'), options.keepLogsIn, { recursive: true });
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  };

  try {
    infra = await startInfra({
      runDir,
      topology: kitConfig().topology,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    });
    const description = infra.description;
    log(`infrastructure ready (${runDir})`);
    const linkUrls: Record<string, string> = {};
    const grpcLinkAddresses: Record<string, string> = {};
    for (const proxy of description.proxies.filter(
      (p) => p.kind === 'link' && p.link !== undefined && chaosTappedLinks().includes(p.link),
    )) {
      const link = kitConfig().topology.links.find((candidate) => candidate.id === proxy.link);
      if (link === undefined) continue;
      const tap = tapFor(link, proxy.upstream);
      await tap.listen();
      taps.set(link.id, tap);
      // caller → front tap → Toxiproxy → tap → service
      const front = tapFor(link, proxy.listen, { front: true });
      const address = await front.listen();
      if (link.kind === 'grpc') grpcLinkAddresses[link.id] = address;
      else linkUrls[link.id] = `http://${address}`;
      frontTaps.set(link.id, front);
    }
    const upstreamOf = (proxy: ProxyAddress): string => taps.get(proxy.link ?? '')?.address ?? proxy.upstream;
    let toxiproxy = infra.toxiproxy.client;
    let proxyMetrics = await hasProxyMetrics(description.toxiproxy.url);
    if (!proxyMetrics) {
      await infra.toxiproxy.stop();
      replaced = await replaceToxiproxyWithMetrics({
        port: description.toxiproxy.port,
        seed: options.seed,
        logDir: description.logDir,
        proxies: description.proxies,
        upstreamOf,
      });
      toxiproxy = replaced.client;
      proxyMetrics = await hasProxyMetrics(description.toxiproxy.url);
      description.toxiproxy.pid = replaced.process.pid;
    } else {
      for (const proxy of description.proxies) {
        if (upstreamOf(proxy) !== proxy.upstream) {
          await (
            await toxiproxy.get(proxy.name)
          ).update({ enabled: true, listen: proxy.listen, upstream: upstreamOf(proxy) });
        }
      }
    }

    const secrets = newRunSecrets();
    const topologyEnv = serviceEnvironments(kitConfig().topology, description, secrets, 'proxied', {
      linkUrls,
      grpcLinkAddresses,
    });
    const envOf = (name: ChaosService, overrides: ServiceEnvOverrides): Record<string, string> =>
      mergeEnv(topologyEnv[name] ?? {}, tunedEnvOf(name), overrides[name]);
    const launch = async (name: ChaosService): Promise<void> => {
      const entry = services.get(name);
      if (!entry) throw new Error(`unknown service ${name}`);
      entry.launched = await launchService({
        name,
        env: entry.env,
        logDir: description.logDir,
        readyTimeoutMs: 60_000,
      });
    };
    for (const name of chaosServices())
      services.set(name, { launched: undefined, env: envOf(name, options.serviceEnv ?? {}) });
    const started = await Promise.allSettled(chaosServices().map((name) => launch(name)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
    log('services ready');

    const entryOf = (name: ChaosService) => {
      const entry = services.get(name);
      if (!entry) throw new Error(`unknown service ${name}`);
      return entry;
    };
    const system: ChaosSystem = {
      mode: 'owned',
      infra: description,
      secrets,
      toxiproxy: toxiproxy instanceof Toxiproxy ? toxiproxy : new Toxiproxy(description.toxiproxy.url),
      proxyMetrics,
      taps,
      frontTaps,
      canRestart: true,
      broker: description.rabbitmq
        ? brokerControl(description.rabbitmq.pid, description.containers?.rabbitmq)
        : infra.kafka
          ? kafkaBrokerControl(infra.kafka)
          : unsupportedBrokerControl('this run has no broker to stop'),
      url: (name) => addressOf(description, name).url,
      pid: (name) => (entryOf(name).launched?.process.running ? entryOf(name).launched?.process.pid : undefined),
      isRunning: (name) => entryOf(name).launched?.process.running === true,
      env: (name) => entryOf(name).env,
      proxy(name) {
        const proxy = description.proxies.find((candidate) => candidate.name === name);
        if (!proxy) throw new Error(`no proxy ${name}`);
        return proxy;
      },
      signal(name, signal) {
        const pid = system.pid(name);
        if (pid === undefined) return false;
        try {
          process.kill(pid, signal);
          return true;
        } catch {
          return false;
        }
      },
      async start(name) {
        if (system.isRunning(name)) return;
        await launch(name);
      },
      async restart(name) {
        system.signal(name, 'SIGCONT');
        await entryOf(name).launched?.stop();
        await launch(name);
      },
      async applyEnv(overrides) {
        const changed = chaosServices().filter((name) => !sameEnv(entryOf(name).env, envOf(name, overrides)));
        for (const name of changed) entryOf(name).env = envOf(name, overrides);
        await Promise.all(changed.map((name) => system.restart(name)));
        return changed;
      },
      close: stopAll,
    };
    return system;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function sameEnv(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}
