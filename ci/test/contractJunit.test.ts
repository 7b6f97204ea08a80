import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeJunit } from '../src/contracts/vitestContractRun.ts';
import { junitCounts } from '../src/stages.ts';
import { tempDir } from './loadCli.ts';

const report = (suites: string, tests: number, failures: number): string =>
  `<?xml version="1.0" encoding="UTF-8" ?>\n<testsuites name="vitest tests" tests="${tests}" failures="${failures}" errors="0" time="1.5">\n${suites}\n</testsuites>\n`;

describe("the contract stage's JUnit file (consumer and provider runs side by side)", () => {
  it('holds the suites of both runs under one root whose counts are their sums', () => {
    const dir = tempDir('contract-junit-');
    const consumers = path.join(dir, 'consumers.xml');
    const providers = path.join(dir, 'providers.xml');
    fs.writeFileSync(consumers, report('<testsuite name="L4" tests="6" failures="1"></testsuite>', 6, 1));
    fs.writeFileSync(providers, report('<testsuite name="providers" tests="5" failures="0"></testsuite>', 5, 0));
    const merged = mergeJunit([consumers, providers]);
    expect(junitCounts(merged)).toEqual({ passed: 10, failed: 1, skipped: 0 });
    expect(merged).toContain('<testsuite name="L4"');
    expect(merged).toContain('<testsuite name="providers"');
  });

  it('counts a run that wrote no report as an error, not as nothing', () => {
    const dir = tempDir('contract-junit-');
    const consumers = path.join(dir, 'consumers.xml');
    fs.writeFileSync(consumers, report('<testsuite name="L4" tests="6" failures="0"></testsuite>', 6, 0));
    const merged = mergeJunit([consumers, path.join(dir, 'providers.xml')]);
    expect(junitCounts(merged)).toEqual({ passed: 6, failed: 1, skipped: 0 });
    expect(merged).toContain('no JUnit report');
  });
});
