import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { describe, expect, it } from 'vitest';
import {
  describeCpuProfiles,
  flameGraphHtml,
  functionLabel,
  packageOf,
  summarizeProfile,
  writeServiceProfiles,
  type CpuProfile,
} from '../src/load/cpuProfiles.ts';

const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });

// root → handler (service code) → query (pg) ; root → (idle) ; root → (garbage collector)
const synthetic: CpuProfile = {
  startTime: 0,
  endTime: 10_000,
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 4, 5] },
    { id: 2, callFrame: frame('handler', 'file:///repo/services/order/src/app.ts', 9), children: [3] },
    { id: 3, callFrame: frame('query', 'file:///repo/node_modules/pg/lib/client.js', 41) },
    { id: 4, callFrame: frame('(idle)', '') },
    { id: 5, callFrame: frame('(garbage collector)', '') },
  ],
  // Microseconds since the previous sample: handler 1 ms, query 3 ms, idle 5 ms, gc 1 ms.
  samples: [2, 3, 3, 3, 4, 4, 4, 4, 4, 5],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

describe('CPU profiles', () => {
  it('names the package of a frame from its script', () => {
    expect(packageOf(frame('query', 'file:///r/node_modules/pg/lib/client.js'))).toBe('pg');
    expect(packageOf(frame('x', '/r/node_modules/.pnpm/a/node_modules/@fastify/ajv-compiler/index.js'))).toBe(
      '@fastify/ajv-compiler',
    );
    expect(packageOf(frame('x', 'file:///r/services/kit/src/http/callDependency.ts'))).toBe('@harness/kit');
    expect(packageOf(frame('x', 'file:///r/services/order/src/saga/placeOrder.ts'))).toBe('order (service code)');
    expect(packageOf(frame('x', 'node:internal/streams/readable'))).toBe('node core');
    expect(packageOf(frame('(garbage collector)', ''))).toBe('garbage collector');
    expect(packageOf(frame('JSON.parse', ''))).toBe('native');
    expect(functionLabel(frame('query', 'file:///r/node_modules/pg/lib/client.js', 41))).toBe(
      'query (lib/client.js:42)',
    );
  });

  it('adds up self time by package and by function, idle left out of the busy time', () => {
    const summary = summarizeProfile(synthetic);
    expect(summary).toMatchObject({ sampledMs: 10, idleMs: 5, busyMs: 5 });
    expect(summary.packages).toEqual([
      { name: 'pg', ms: 3, share: 0.6 },
      { name: 'garbage collector', ms: 1, share: 0.2 },
      { name: 'order (service code)', ms: 1, share: 0.2 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'query (lib/client.js:42)', ms: 3, share: 0.6 });
  });

  it("prints each service's CPU per order from /proc beside the profile's busy time, '-' where /proc has none", () => {
    const summary = summarizeProfile(synthetic);
    const profiles = {
      dir: '/tmp/p',
      seconds: 10,
      rate: 100,
      confirmed: 2,
      services: [
        { service: 'order', file: 'order.cpuprofile', flameGraph: 'order.html', summary },
        { service: 'payment', file: 'payment.cpuprofile', flameGraph: 'payment.html', summary },
      ],
      skipped: [{ service: 'storefront', reason: 'POST /admin/cpu-profile answered 405' }],
    };
    const measured = describeCpuProfiles({ ...profiles, cpuMsPerOrder: { order: 1.25, postgresql: 2 } });
    expect(measured[0]).toMatch(/service\s+cpu\s+in the profile.*waits for a core/);
    // 5 ms busy over 2 orders in the profile; 1.25 ms of CPU per order from /proc.
    expect(measured[1]).toMatch(/^ {2}order\s+1\.25\s+2\.50 ms\/order {2}pg 60%/);
    expect(measured[2]).toMatch(/^ {2}payment\s+-\s+2\.50 ms\/order/);
    expect(measured[3]).toContain('storefront     not profiled');
    // Without /proc figures (an older report): no header, the profile's figure alone.
    const plain = describeCpuProfiles(profiles);
    expect(plain[0]).toMatch(/^ {2}order\s+2\.50 ms\/order/);
  });

  it('draws a flame graph whose frames are as wide as their time including callees', () => {
    const html = flameGraphHtml('order: CPU under load', synthetic);
    expect(html).toContain('<title>order: CPU under load</title>');
    // handler holds 4 of the 5 busy ms (its own 1 and query's 3): 80% of 1200 px.
    expect(html).toMatch(
      /<title>handler \(src\/app\.ts:10\) — order \(service code\): 4\.0 ms \(80\.0%\)<\/title><rect x="0\.0" y="17" width="959\.5"/,
    );
    expect(html).not.toContain('(idle)');
    expect(html).toContain('pg 3 ms (60.0%)');
  });

  it('finds a busy function in a real V8 profile of this process and writes the files', async () => {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    const until = Date.now() + 200;
    let n = 0;
    const busyLoop = (): void => {
      while (Date.now() < until) n += Math.sqrt(n + 1);
    };
    busyLoop();
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    expect(n).toBeGreaterThan(0);

    const summary = summarizeProfile(profile as CpuProfile);
    expect(summary.busyMs).toBeGreaterThan(100);
    expect(summary.functions.map((f) => f.name).some((name) => name.startsWith('busyLoop'))).toBe(true);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cpu-profiles-'));
    const written = writeServiceProfiles(dir, [
      { service: 'self', profile: profile as CpuProfile },
      { service: 'gone', reason: 'ECONNREFUSED' },
    ]);
    expect(written.skipped).toEqual([{ service: 'gone', reason: 'ECONNREFUSED' }]);
    expect(written.services.map((s) => [s.service, s.file, s.flameGraph])).toEqual([
      ['self', 'self.cpuprofile', 'self.html'],
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'self.cpuprofile'), 'utf8')).nodes.length).toBeGreaterThan(1);
    expect(fs.readFileSync(path.join(dir, 'self.html'), 'utf8')).toContain('busyLoop');
  });
});
