import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssetsBuilt, staleBuildReason } from '../src/server/assetBuild.ts';
import { packageDir } from '../src/server/viteConfig.ts';

let distDir: string;

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'storefront-main-dist-'));
});

afterAll(async () => {
  await rm(distDir, { recursive: true, force: true });
});

interface RunningStorefront {
  child: ChildProcess;
  /** Resolves with the port from the "storefront listening" log line. */
  port: Promise<number>;
  exit: Promise<{ code: number | null; output: string }>;
}

function startMain(env: Record<string, string>): RunningStorefront {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const entry = safeJson(line);
      if (entry?.msg === 'storefront listening' && typeof entry.port === 'number') resolve(entry.port);
    });
    child.once('exit', () => reject(new Error(`storefront exited before listening:\n${output}`)));
  });
  port.catch(() => undefined); // awaited only by tests that expect the process to listen
  const exit = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, output })),
  );
  return { child, port, exit };
}

function safeJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

describe('storefront process (src/main.ts)', () => {
  it('builds the page when there is no build, serves GATEWAY_URL and API_KEY as /config.json, and stops on SIGTERM', async () => {
    const storefront = startMain({
      GATEWAY_URL: 'http://127.0.0.1:18081',
      API_KEY: 'demo_from_env',
      STOREFRONT_DIST_DIR: distDir,
    });
    try {
      const port = await storefront.port;
      const config = await fetch(`http://127.0.0.1:${port}/config.json`);
      expect(await config.json()).toEqual({ gatewayUrl: 'http://127.0.0.1:18081', apiKey: 'demo_from_env' });
      expect(config.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:18081");
      const page = await fetch(`http://127.0.0.1:${port}/`);
      expect(await page.text()).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    } finally {
      storefront.child.kill('SIGTERM');
    }
    const { code, output } = await storefront.exit;
    expect(code, output).toBe(0);
    expect(output).toContain('built the storefront page');
    expect(output).not.toContain('demo_from_env');
  });

  it('does not rebuild a build that is newer than every source', async () => {
    await ensureAssetsBuilt(distDir);
    expect(await staleBuildReason(distDir)).toBeUndefined();
    expect(await ensureAssetsBuilt(distDir)).toEqual({ built: false });
  });

  it('reports a missing build as stale', async () => {
    expect(await staleBuildReason(path.join(distDir, 'nothing-here'))).toMatch(/index\.html is missing/);
  });

  it('refuses to start without GATEWAY_URL and API_KEY, naming them', async () => {
    const storefront = startMain({ STOREFRONT_DIST_DIR: distDir });
    const { code, output } = await storefront.exit;
    expect(code).not.toBe(0);
    expect(output).toContain('GATEWAY_URL');
    expect(output).toContain('API_KEY');
    expect(output).not.toContain('    at '); // a message, not a stack trace
  });

  it('exits with the build command in its log when there is no build and building on start is off', async () => {
    const storefront = startMain({
      GATEWAY_URL: 'http://127.0.0.1:18081',
      API_KEY: 'demo_from_env',
      STOREFRONT_BUILD_ON_START: 'false',
      STOREFRONT_DIST_DIR: path.join(distDir, 'never-built'),
    });
    const { code, output } = await storefront.exit;
    expect(code).toBe(1);
    expect(output).toContain('npm run build -w @harness/storefront');
  });
});
