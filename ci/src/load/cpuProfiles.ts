import fs from 'node:fs';
import path from 'node:path';

/**
 * CPU profiles of the services under load: each kit service profiles itself with V8's sampling
 * profiler for a given time (`POST /admin/cpu-profile?ms=`, behind the service token), the bench
 * stores each as a `.cpuprofile` (Chrome DevTools and speedscope open it), draws a flame graph per
 * service as a self-contained HTML page and prints where the time went: by package (pg, fastify,
 * pino, the kit, Node's core) and by function.
 */

/** A V8 CPU profile (`Profiler.Profile`). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number; scriptId?: string };
  hitCount?: number;
  children?: number[];
}

export interface Cost {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0–1. */
  share: number;
}

export interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  busyMs: number;
  packages: Cost[];
  functions: Cost[];
}

const IDLE = '(idle)';
const ROOT = '(root)';

/** Which package a frame belongs to, from its script URL (or V8's pseudo-frames). */
export function packageOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return 'V8 (program)';
  if (url === '') return 'native';
  if (url.startsWith('node:')) return 'node core';
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? 'node_modules');
  }
  const service = /\/services\/([^/]+)\//.exec(file);
  if (service) return service[1] === 'kit' ? '@harness/kit' : `${service[1]} (service code)`;
  if (file.includes('/contracts/')) return '@harness/contracts';
  return 'other';
}

/** `name (file:line)` of a frame, short enough for a table. */
export function functionLabel(frame: ProfileNode['callFrame']): string {
  const name = frame.functionName || '(anonymous)';
  if (frame.url === '') return name;
  const file = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  const short = file.split('/').slice(-2).join('/');
  return `${name} (${short}:${frame.lineNumber + 1})`;
}

/** Milliseconds attributed to each node: each sample weighs the time since the previous one. */
export function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    times.set(id, (times.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return times;
}

/** Busy time by package and by function, largest first. */
export function summarizeProfile(profile: CpuProfile, top = 10): ProfileSummary {
  const self = selfTimes(profile);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleMs = 0;
  let sampledMs = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    sampledMs += ms;
    if (ms === 0) continue;
    const { functionName } = node.callFrame;
    if (functionName === IDLE) {
      idleMs += ms;
      continue;
    }
    if (functionName === ROOT) continue;
    const pkg = packageOf(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const label = functionLabel(node.callFrame);
    byFunction.set(label, (byFunction.get(label) ?? 0) + ms);
  }
  const busyMs = sampledMs - idleMs;
  const ranked = (map: Map<string, number>): Cost[] =>
    [...map.entries()]
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name))
      .slice(0, top);
  return { sampledMs, idleMs, busyMs, packages: ranked(byPackage), functions: ranked(byFunction) };
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable colour per package, so one package has one colour in every service's graph. */
function colourOf(pkg: string): string {
  let hash = 0;
  for (const char of pkg) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 60% 72%)`;
}

/**
 * A flame graph (root at the top, callees below; width = time including callees) as one HTML page
 * with an inline SVG: hover a frame for its function, package and time. Idle time is left out, and
 * frames narrower than `minShare` of the busy time are dropped to keep the page small.
 */
export function flameGraphHtml(title: string, profile: CpuProfile, minShare = 0.001): string {
  const self = selfTimes(profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = new Map<number, number>();
  const totalOf = (id: number): number => {
    const known = total.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === IDLE) return 0;
    const sum = (self.get(id) ?? 0) + (node.children ?? []).reduce((acc, child) => acc + totalOf(child), 0);
    total.set(id, sum);
    return sum;
  };
  const root = profile.nodes.find((node) => node.callFrame.functionName === ROOT) ?? profile.nodes[0];
  const busy = root ? totalOf(root.id) : 0;
  const width = 1200;
  const row = 17;
  const rects: string[] = [];
  let depthMax = 0;
  const draw = (id: number, x: number, depth: number): void => {
    const node = byId.get(id);
    const ms = totalOf(id);
    if (!node || busy === 0 || ms / busy < minShare) return;
    depthMax = Math.max(depthMax, depth);
    const w = (ms / busy) * width;
    const label = node.callFrame.functionName === ROOT ? 'all' : functionLabel(node.callFrame);
    const pkg = node.callFrame.functionName === ROOT ? '' : packageOf(node.callFrame);
    const tip = `${label}${pkg ? ` — ${pkg}` : ''}: ${ms.toFixed(1)} ms (${((ms / busy) * 100).toFixed(1)}%)`;
    const text =
      w > 40
        ? `<text x="${(x + 3).toFixed(1)}" y="${depth * row + 12}">${escapeHtml(label.slice(0, Math.floor(w / 7)))}</text>`
        : '';
    rects.push(
      `<g><title>${escapeHtml(tip)}</title><rect x="${x.toFixed(1)}" y="${depth * row}" width="${Math.max(w - 0.5, 0.5).toFixed(1)}" height="${row - 1}" fill="${pkg ? colourOf(pkg) : '#ccc'}"/>${text}</g>`,
    );
    let childX = x;
    for (const child of node.children ?? []) {
      draw(child, childX, depth + 1);
      childX += (totalOf(child) / busy) * width;
    }
  };
  if (root) draw(root.id, 0, 0);
  const summary = summarizeProfile(profile, 12);
  const legend = summary.packages
    .map(
      (p) =>
        `<li><span style="background:${colourOf(p.name)}"></span>${escapeHtml(p.name)} ${p.ms.toFixed(0)} ms (${(p.share * 100).toFixed(1)}%)</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:13px system-ui,sans-serif;margin:16px}svg text{font:11px monospace;pointer-events:none}
ul{list-style:none;padding:0;columns:3}li span{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:middle}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${summary.busyMs.toFixed(0)} ms busy of ${summary.sampledMs.toFixed(0)} ms sampled (idle ${summary.idleMs.toFixed(0)} ms). Width is time including callees; hover a frame for its figures.</p>
<ul>${legend}</ul>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${(depthMax + 1) * row}">${rects.join('')}</svg>
</body></html>
`;
}

export interface ServiceProfile {
  service: string;
  /** The .cpuprofile and the flame graph, relative to the profiles' directory. */
  file: string;
  flameGraph: string;
  summary: ProfileSummary;
}

export interface CpuProfiles {
  dir: string;
  seconds: number;
  /** The offered rate of the profiled phase (orders/s) and what it confirmed. */
  rate: number;
  confirmed: number;
  services: ServiceProfile[];
  /**
   * Each process's CPU per confirmed order over the same phase, from /proc (user + system time,
   * its whole tree): what the service really spent. A profile's busy time is wall time the main
   * thread was not idle, so on a busy machine it also counts the time it waited for a core.
   */
  cpuMsPerOrder?: Record<string, number>;
  /** Services that gave no profile, and why (no such route, refused, unreachable). */
  skipped: Array<{ service: string; reason: string }>;
}

/** Asks every service for a profile of the next `ms` milliseconds, all at once. */
export async function captureServiceProfiles(
  services: Readonly<Record<string, { url: string }>>,
  serviceToken: string,
  ms: number,
): Promise<Array<{ service: string; profile?: CpuProfile; reason?: string }>> {
  return Promise.all(
    Object.entries(services).map(async ([service, { url }]) => {
      try {
        const response = await fetch(new URL(`/admin/cpu-profile?ms=${ms}`, url), {
          method: 'POST',
          headers: { 'x-service-token': serviceToken },
          signal: AbortSignal.timeout(ms + 15_000),
        });
        if (!response.ok) return { service, reason: `POST /admin/cpu-profile answered ${response.status}` };
        return { service, profile: (await response.json()) as CpuProfile };
      } catch (error) {
        return { service, reason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}

/** Writes each profile and its flame graph into `dir`; returns what the report keeps. */
export function writeServiceProfiles(
  dir: string,
  captured: Array<{ service: string; profile?: CpuProfile; reason?: string }>,
): Pick<CpuProfiles, 'services' | 'skipped'> {
  fs.mkdirSync(dir, { recursive: true });
  const services: ServiceProfile[] = [];
  const skipped: CpuProfiles['skipped'] = [];
  for (const { service, profile, reason } of captured) {
    if (!profile) {
      skipped.push({ service, reason: reason ?? 'no profile' });
      continue;
    }
    const file = `${service}.cpuprofile`;
    const flameGraph = `${service}.html`;
    fs.writeFileSync(path.join(dir, file), JSON.stringify(profile));
    fs.writeFileSync(path.join(dir, flameGraph), flameGraphHtml(`${service}: CPU under load`, profile));
    services.push({ service, file, flameGraph, summary: summarizeProfile(profile) });
  }
  return { services, skipped };
}

/**
 * The printed part: per service, its CPU per confirmed order from /proc (when measured), the
 * profile's busy time per confirmed order and its top packages (shares of the profile's busy time).
 */
export function describeCpuProfiles(profiles: CpuProfiles): string[] {
  const perOrder = (ms: number): string =>
    profiles.confirmed > 0 ? `${(ms / profiles.confirmed).toFixed(2)} ms/order` : `${ms.toFixed(0)} ms`;
  const measured = profiles.cpuMsPerOrder;
  const lines = profiles.services.map((s) => {
    const top = s.summary.packages
      .slice(0, 5)
      .map((p) => `${p.name} ${(p.share * 100).toFixed(0)}%`)
      .join(', ');
    const cpu = measured?.[s.service];
    const cpuText = measured === undefined ? '' : `${cpu === undefined ? '-' : cpu.toFixed(2)}`.padStart(6);
    return `  ${s.service.padEnd(14)}${cpuText} ${perOrder(s.summary.busyMs).padStart(15)}  ${top}`;
  });
  return [
    ...(measured === undefined || lines.length === 0
      ? []
      : [
          `  ${'service'.padEnd(14)}${'cpu'.padStart(6)} ${'in the profile'.padStart(15)}  (cpu: ms/order from /proc; the profile's busy time also counts waits for a core)`,
        ]),
    ...lines,
    ...profiles.skipped.map((s) => `  ${s.service.padEnd(14)} not profiled: ${s.reason}`),
    ...(profiles.services.length > 0 ? [`  flame graphs and .cpuprofile files in ${profiles.dir}`] : []),
  ];
}
