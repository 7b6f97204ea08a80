import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const LOAD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const K6_DIR = path.join(LOAD_DIR, 'k6');
export const CONFIG_MAP_FILE = path.join(LOAD_DIR, 'k8s', 'configmap.yaml');
export const CONFIG_MAP_NAME = 'harness-load-scripts';

/** Every k6 module, by file name: the ConfigMap's keys are the files k6-operator mounts in /test. */
export function k6Files(dir = K6_DIR): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.k6.ts'))
    .sort())
    files[name] = fs.readFileSync(path.join(dir, name), 'utf8');
  return files;
}

/** The ConfigMap holding the scripts for the k6-operator TestRun (generated; do not edit by hand). */
export function configMapYaml(files = k6Files()): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: CONFIG_MAP_NAME,
      labels: { 'app.kubernetes.io/part-of': 'contract-chaos-harness', 'app.kubernetes.io/component': 'load' },
    },
    data: files,
  };
  return `# Generated from load/k6/*.k6.ts by \`npm run k8s:configmap -w @harness/load\`; do not edit.\n${stringify(doc, { lineWidth: 0 })}`;
}
