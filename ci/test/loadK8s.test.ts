import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_MAP_FILE, CONFIG_MAP_NAME, k6Files, LOAD_DIR } from '@harness/load/k6ConfigMap';
import { k6Binary } from '../src/load/k6Process.ts';

interface TestRun {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    runner: {
      image: string;
      env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
    };
  };
}
interface ConfigMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data: Record<string, string>;
}

const testRun = parse(fs.readFileSync(path.join(LOAD_DIR, 'k8s', 'testrun.yaml'), 'utf8')) as TestRun;
const configMap = parse(fs.readFileSync(CONFIG_MAP_FILE, 'utf8')) as ConfigMap;

describe('k6-operator manifests (load/k8s)', () => {
  it('declare a k6.io/v1alpha1 TestRun whose script is a file of the scripts ConfigMap', () => {
    expect(testRun.apiVersion).toBe('k6.io/v1alpha1');
    expect(testRun.kind).toBe('TestRun');
    expect(testRun.spec.parallelism).toBeGreaterThanOrEqual(1);
    expect(configMap.apiVersion).toBe('v1');
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata.name).toBe(CONFIG_MAP_NAME);
    expect(testRun.spec.script.configMap.name).toBe(configMap.metadata.name);
    expect(Object.keys(configMap.data)).toContain(testRun.spec.script.configMap.file);
  });

  it('hold the current scripts (regenerate with `npm run k8s:configmap -w @harness/load`)', () => {
    expect(configMap.data).toEqual(k6Files());
  });

  it('carry every module a script imports, as the flat /test folder k6-operator mounts', () => {
    for (const [file, source] of Object.entries(configMap.data)) {
      for (const [, imported] of source.matchAll(/from '\.\/([^']+)'/g))
        expect(configMap.data, `${file} imports ${imported}`).toHaveProperty([imported ?? '']);
    }
  });

  it('take the API key from a Secret, never inline, and run a k6 that runs TypeScript', () => {
    const env = new Map(testRun.spec.runner.env.map((entry) => [entry.name, entry]));
    expect(env.get('API_KEY')?.value).toBeUndefined();
    expect(env.get('API_KEY')?.valueFrom?.secretKeyRef?.key).toBeTruthy();
    expect(env.get('BASE_URL')?.value).toMatch(/^http:\/\//);
    expect(testRun.spec.runner.image).toMatch(/^grafana\/k6:1\./);
  });

  it('the scripts as mounted from the ConfigMap are a valid k6 test with the profile the TestRun names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k6-configmap-'));
    for (const [file, source] of Object.entries(configMap.data)) fs.writeFileSync(path.join(dir, file), source);
    const env = Object.fromEntries(testRun.spec.runner.env.map((entry) => [entry.name, entry.value ?? 'from-secret']));
    const out = execFileSync(
      k6Binary(),
      ['inspect', '--include-system-env-vars', '--execution-requirements', testRun.spec.script.configMap.file],
      {
        cwd: dir,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      },
    );
    const plan = JSON.parse(out) as { scenarios: Record<string, { tags?: { profile?: string } }> };
    expect(plan.scenarios.shoppers?.tags?.profile).toBe(env.PROFILE);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
