import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_MAP_FILE, configMapYaml } from './k6ConfigMap.ts';

/** Regenerates load/k8s/configmap.yaml from the k6 scripts (a test fails when it is stale). */
fs.writeFileSync(CONFIG_MAP_FILE, configMapYaml());
console.log(`wrote ${path.relative(process.cwd(), CONFIG_MAP_FILE)}`);
