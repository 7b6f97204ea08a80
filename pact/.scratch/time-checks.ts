import { checkAllLinks, pactLinks, repoLayout, runBreakingGate } from '../src/index.ts';
import { REPO_ROOT } from '@harness/runtime';
let t = performance.now();
const c = await checkAllLinks(pactLinks(), repoLayout);
console.log('checks', Math.round(performance.now() - t), [...c.values()].map((r) => r.ok));
t = performance.now();
const g = await runBreakingGate({ repo: REPO_ROOT, layout: repoLayout });
console.log('gate', Math.round(performance.now() - t), g.ok, g.comparisons.map((x) => `${x.spec}:${x.status}`));
