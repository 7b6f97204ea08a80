import { readFileSync } from 'node:fs';

const loaded = new Map<string, object>();

/**
 * A service's bundled OpenAPI document, read once per process:
 * `loadSpec(specPath('order'))` (`specPath` from @harness/contracts).
 */
export function loadSpec(file: string): object {
  let spec = loaded.get(file);
  if (spec === undefined) {
    spec = JSON.parse(readFileSync(file, 'utf8')) as object;
    loaded.set(file, spec);
  }
  return spec;
}
