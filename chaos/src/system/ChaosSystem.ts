import type { InfraDescription, ProxyAddress, RunSecrets } from '@harness/runtime';
import type { Toxiproxy } from 'toxiproxy-node-client';
import type { ChaosService } from '../scenario/Scenario.ts';
import type { BrokerControl } from './brokerControl.ts';
import type { ServiceEnvOverrides } from './chaosTunedEnv.ts';
import type { LinkTap } from './LinkTap.ts';

/**
 * The running reference system as the chaos runner sees it: addresses, the Toxiproxy API, the
 * taps on the HTTP links, the service processes and what may be done to them. Either started by
 * the runner (`owned`: it may kill, restart and reconfigure services) or attached to a system
 * started by `harness up` (`attached`: only faults that leave every process running).
 */
export interface ChaosSystem {
  readonly mode: 'owned' | 'attached';
  readonly infra: InfraDescription;
  readonly secrets: RunSecrets;
  readonly toxiproxy: Toxiproxy;
  /** Toxiproxy serves per-proxy byte counters at /metrics (started with -proxy-metrics). */
  readonly proxyMetrics: boolean;
  /**
   * Taps between Toxiproxy and the service on each HTTP or gRPC link, by link id (L2, …, L11):
   * what reached the service.
   */
  readonly taps: ReadonlyMap<string, LinkTap>;
  /**
   * Taps between the caller and Toxiproxy on each HTTP or gRPC link (owned systems only; empty when
   * attached, as a running service's dependency URLs cannot be changed): every attempt the caller
   * made, including those a fault killed. The black-box oracles judge from these.
   */
  readonly frontTaps: ReadonlyMap<string, LinkTap>;
  /** Services that can be killed and restarted (owned systems only). */
  readonly canRestart: boolean;
  readonly broker: BrokerControl;

  url(service: ChaosService): string;
  pid(service: ChaosService): number | undefined;
  isRunning(service: ChaosService): boolean;
  /** The env the service process runs with. */
  env(service: ChaosService): Readonly<Record<string, string>>;
  proxy(name: string): ProxyAddress;
  /** Sends a signal to the service's process; false when it is not running. */
  signal(service: ChaosService, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT' | 'SIGTERM'): boolean;
  /** Starts the service again with its env (after a kill), waiting until it is ready. */
  start(service: ChaosService): Promise<void>;
  /** Graceful stop and start with the same env. */
  restart(service: ChaosService): Promise<void>;
  /**
   * Makes every service run with the tuned base env plus `overrides`; restarts the services whose
   * env changes and returns their names.
   */
  applyEnv(overrides: ServiceEnvOverrides): Promise<ChaosService[]>;
  /** Stops everything the runner started (owned) or restores the proxies it changed (attached). */
  close(): Promise<void>;
}
