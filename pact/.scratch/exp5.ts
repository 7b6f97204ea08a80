import { checkLinkConformance } from '../src/checks/linkConformance.ts';
import { pactLink } from '../src/links.ts';
import { repoLayout } from '../src/layout.ts';
const r = await checkLinkConformance(pactLink(process.argv[2] ?? 'L3'), repoLayout);
console.log(JSON.stringify(r, null, 1));
