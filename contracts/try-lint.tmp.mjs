import { createConfig, lint, bundle, getLineColLocation } from '@redocly/openapi-core';
const file = process.argv[2];
const config = await createConfig({ extends: ['recommended'], rules: { 'no-invalid-media-type-examples': 'error', 'operation-4xx-response': 'off', 'operation-4xx-problem-details-rfc7807':'error' } });
const problems = await lint({ ref: file, config });
for (const p of problems) { const l = p.location[0]; const lc = l ? getLineColLocation(l) : undefined; console.log(p.severity, p.ruleId, p.message, l?.source.absoluteRef, l?.pointer, lc?.start); }
const b = await bundle({ ref: file, config, dereference: false, removeUnusedComponents: false });
console.log(b.problems.length, JSON.stringify(b.bundle.parsed).length);
if (process.argv[3]) console.log(JSON.stringify(b.bundle.parsed, null, 1));
