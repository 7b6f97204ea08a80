import { pathToFileURL } from 'node:url';
import { isHttpCallLink, reachableFrom, referenceConfig, type ResolvedConfig } from '@harness/runtime';
import { deadLettersAccounted } from '../invariants/deadLettersAccounted.ts';
import type { Invariant } from '../invariants/Invariant.ts';
import type { KitDomain } from '../kit/KitDomain.ts';

/**
 * What the kit runner knows of the system it runs on, all of it from the system's harness.config.ts
 * (the repository's own unless the CLI hands it another config whose `chaos.runner` is `kit`):
 * which services it starts, which links it drives, the tuned env, where the workload goes.
 */
let chosen: ResolvedConfig | undefined;

/** The config the kit runner works on. */
export function kitConfig(): ResolvedConfig {
  chosen ??= referenceConfig();
  return chosen;
}

/** Makes the kit runner work on `config` (the CLI's --config). */
export function useKitConfig(config: ResolvedConfig): void {
  if (config.chaos.runner !== 'kit')
    throw new Error(`${config.file}: chaos.runner is "${config.chaos.runner}", not "kit"`);
  chosen = config;
}

/** The service the workload drives (`chaos.entry`). */
export function entryService(): string {
  const config = kitConfig();
  if (config.chaos.entry === undefined) throw new Error(`${config.file}: chaos.entry is not set`);
  return config.chaos.entry;
}

/** The services a kit chaos run starts and watches: the entry and every service it reaches over links. */
export function chaosServices(): string[] {
  return reachableFrom(kitConfig().topology, entryService());
}

/** The HTTP links between the services under chaos (each gets taps and can take faults). */
export function chaosHttpLinks(): string[] {
  const services = new Set(chaosServices());
  return kitConfig()
    .topology.links.filter((link) => link.kind === 'http' && services.has(link.from))
    .map((link) => link.id);
}

/**
 * The HTTP, GraphQL and gRPC links between the services under chaos, and those into the entry
 * service from outside them (the storefront's L1 and L10, whose caller the workload plays with
 * `read-orders` streams that name the link): each has a Toxiproxy proxy that toxics and proxy-down
 * faults can target (only the links between services have taps, so only they take request faults:
 * `chaosTappedLinks`).
 */
export function chaosCallLinks(): string[] {
  const services = new Set(chaosServices());
  return kitConfig()
    .topology.links.filter((link) => link.kind !== 'amqp' && (services.has(link.from) || link.to === entryService()))
    .map((link) => link.id);
}

/**
 * The HTTP and gRPC links between the services under chaos: each has two taps (`HttpTap`, or
 * `GrpcTap` on gRPC links; one in front of its proxy, one behind it) that record what crosses it
 * and answer request-level faults.
 */
export function chaosTappedLinks(): string[] {
  const services = new Set(chaosServices());
  return kitConfig()
    .topology.links.filter((link) => (link.kind === 'http' || link.kind === 'grpc') && services.has(link.from))
    .map((link) => link.id);
}

/** HTTP and GraphQL links into the entry service: the workload can read through their proxies. */
export function entryLinks(): string[] {
  return kitConfig()
    .topology.links.filter((link) => isHttpCallLink(link) && link.to === entryService())
    .map((link) => link.id);
}

/** Services that call others over HTTP (and so hold breakers). */
export function httpCallers(): string[] {
  const links = new Set(chaosHttpLinks());
  const from = new Set(
    kitConfig()
      .topology.links.filter((link) => links.has(link.id))
      .map((link) => link.from),
  );
  return chaosServices().filter((service) => from.has(service));
}

/** Services that consume messages (the `to` of a message link) and those that publish them. */
export function messageEnds(): { consumers: string[]; publishers: string[] } {
  const links = kitConfig().topology.links.filter((link) => link.kind === 'amqp');
  const services = chaosServices();
  return {
    consumers: services.filter((service) => links.some((link) => link.to === service)),
    publishers: services.filter((service) => links.some((link) => link.from === service)),
  };
}

/** The tuned env of a service (`chaos.serviceEnv`). */
export function tunedEnvOf(service: string): Readonly<Record<string, string>> {
  return kitConfig().chaos.serviceEnv[service] ?? {};
}

/** The publishing service whose database holds the kit outbox (the first publisher with a database). */
export function outboxService(): string {
  const config = kitConfig();
  const publisher = messageEnds().publishers.find(
    (service) => config.topology.services.find((spec) => spec.name === service)?.database,
  );
  if (publisher === undefined)
    throw new Error(`${config.file}: no service under chaos publishes messages from a database`);
  return publisher;
}

let domain: { file: string; value: KitDomain } | undefined;

/** Imports the config's kit domain module (`chaos.kit`) once; the runner and the loader call it first. */
export async function loadKitDomain(): Promise<KitDomain> {
  const config = kitConfig();
  const file = config.chaos.kit;
  if (file === undefined) throw new Error(`${config.file}: chaos.kit is not set (the kit runner needs it)`);
  if (domain?.file === file) return domain.value;
  const module = (await import(pathToFileURL(file).href)) as { default?: KitDomain };
  const value = module.default;
  if (!value || typeof value.client !== 'function' || typeof value.invariants !== 'object')
    throw new Error(`${file}: expected \`export default defineKitDomain({ ... })\``);
  domain = { file, value };
  return value;
}

/** The kit domain loadKitDomain() imported. */
export function kitDomain(): KitDomain {
  if (!domain) throw new Error('the kit domain is not loaded (call loadKitDomain() first)');
  return domain.value;
}

/** Every invariant a scenario may name: the kit's own and the domain's. */
export function kitInvariants(): Readonly<Record<string, Invariant>> {
  return { 'dead-letters-accounted': deadLettersAccounted, ...kitDomain().invariants };
}
