import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadAssetBundle } from '../src/server/assetBundle.ts';
import { listen } from './support/listen.ts';

const gatewayUrl = 'http://127.0.0.1:18080';
const apiKey = 'demo_0123456789abcdef';
const indexHtml = '<!doctype html><title>shop</title><script type="module" src="/assets/index-abc123.js"></script>';
const script = 'console.log("storefront");';

let distDir: string;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  distDir = await mkdtemp(path.join(tmpdir(), 'storefront-dist-'));
  await mkdir(path.join(distDir, 'assets'));
  await writeFile(path.join(distDir, 'index.html'), indexHtml);
  await writeFile(path.join(distDir, 'assets', 'index-abc123.js'), script);
  await writeFile(path.join(distDir, 'assets', 'index-abc123.css'), 'body{}');
  const assets = await loadAssetBundle(distDir);
  server = await listen(buildApp({ config: { gatewayUrl, apiKey }, assets }));
});

afterAll(async () => {
  await server.close();
  await rm(distDir, { recursive: true, force: true });
});

describe('storefront server', () => {
  it('serves index.html at / without letting browsers cache it stale', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(indexHtml);
  });

  it('serves index.html for page routes without a file extension', async () => {
    const response = await fetch(`${server.url}/orders/3f6c1a52`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(indexHtml);
  });

  it('serves built assets with their content type and an immutable cache policy', async () => {
    const response = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await response.text()).toBe(script);
    const css = await fetch(`${server.url}/assets/index-abc123.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 304 when the browser already has the asset (ETag)', async () => {
    const first = await fetch(`${server.url}/assets/index-abc123.js`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const second = await fetch(`${server.url}/assets/index-abc123.js`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(second.status).toBe(304);
  });

  it('serves /config.json with the gateway URL and API key it was given, never cached', async () => {
    const response = await fetch(`${server.url}/config.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ gatewayUrl, apiKey });
  });

  it('sends security headers with a CSP that allows connections only to itself and the gateway', async () => {
    for (const target of ['/', '/config.json', '/assets/index-abc123.js', '/missing.js']) {
      const response = await fetch(`${server.url}${target}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ${gatewayUrl}`);
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('publishes the GraphQL origin (link L10) when it has one, and lets the page connect to it', async () => {
    const graphqlUrl = 'http://127.0.0.1:18082';
    const assets = await loadAssetBundle(distDir);
    const withGraphql = await listen(buildApp({ config: { gatewayUrl, graphqlUrl, apiKey }, assets }));
    try {
      const response = await fetch(`${withGraphql.url}/config.json`);
      expect(await response.json()).toEqual({ gatewayUrl, graphqlUrl, apiKey });
      expect(response.headers.get('content-security-policy')).toContain(
        `connect-src 'self' ${gatewayUrl} ${graphqlUrl}`,
      );
    } finally {
      await withGraphql.close();
    }
  });

  it('answers 404 problem+json for a file that is not part of the build, including path traversal', async () => {
    for (const target of ['/assets/nope.js', '/../package.json', '/%2e%2e/src/app.ts', '/src/web/main.ts']) {
      const response = await fetch(`${server.url}${target}`);
      expect(response.status, target).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
  });

  it('refuses methods other than GET and HEAD with 405 and an Allow header', async () => {
    const response = await fetch(`${server.url}/config.json`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers the health probes with 200 JSON', async () => {
    for (const probe of ['/health/live', '/health/ready']) {
      const response = await fetch(`${server.url}${probe}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    }
  });

  it('fails with a message naming the build command when there is no build', async () => {
    await expect(loadAssetBundle(path.join(distDir, 'does-not-exist'))).rejects.toThrow(
      /npm run build -w @harness\/storefront/,
    );
  });
});
