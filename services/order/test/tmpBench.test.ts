import { it } from 'vitest';
import { newKey } from './support/probes.ts';
import { launchOrderProcess, startTestSystem } from './support/testSystem.ts';
it('bench', async () => {
  const system = await startTestSystem();
  const db = await system.newOrderDatabase();
  const svc = await launchOrderProcess(system, db, { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/orderprof' });
  const one = async (product: string) => {
    const r = await fetch(`${svc.url}/orders`, { method: 'POST', headers: { 'x-service-token': system.serviceToken, 'content-type': 'application/json', 'idempotency-key': newKey() }, body: JSON.stringify({ items: [{ productId: product, quantity: 1 }], paymentToken: 'tok_approve' }) });
    await r.arrayBuffer(); return r.status;
  };
  for (let i = 0; i < 30; i++) await one('p-bulk');
  await fetch(`${svc.url}/admin/resilience`, { method: 'DELETE' });
  const t0 = Date.now();
  for (let i = 0; i < 100; i++) await one('p-bulk');
  const ms = Date.now() - t0;
  const events = ((await (await fetch(`${svc.url}/admin/resilience`)).json()) as { events: Array<{ type: string; dependency: string; durationMs?: number }> }).events;
  const avg = (dep: string) => { const c = events.filter((e) => e.type === 'call' && e.dependency === dep); return [c.length, Math.round(c.reduce((s, e) => s + (e.durationMs ?? 0), 0) / c.length * 10) / 10]; };
  console.log('SEQ avg per order', ms / 100, 'ms; inventory', avg('inventory'), 'payment', avg('payment'));
  const t1 = Date.now(); let next = 0;
  await fetch(`${svc.url}/admin/resilience`, { method: 'DELETE' });
  await Promise.all(Array.from({ length: 20 }, async () => { while (next++ < 400) await one(['espresso-1kg','filter-500g','moka-pot-6','milk-frother','ceramic-cup-2','p-bulk'][next % 6]!); }));
  const ms1 = Date.now() - t1;
  const events2 = ((await (await fetch(`${svc.url}/admin/resilience`)).json()) as { events: Array<{ type: string; dependency: string; durationMs?: number }> }).events;
  const avg2 = (dep: string) => { const c = events2.filter((e) => e.type === 'call' && e.dependency === dep); return [c.length, Math.round(c.reduce((s, e) => s + (e.durationMs ?? 0), 0) / c.length * 10) / 10]; };
  console.log('CONC 400 in', ms1, 'ms', Math.round(400 / (ms1 / 1000)), '/s; inventory', avg2('inventory'), 'payment', avg2('payment'));
  await svc.stop(); await system.stop();
}, 300000);
