import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startInfra, referenceTopology } from '@harness/runtime';
import amqp from 'amqplib';
const run = promisify(execFile);
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-scratch-'));
let t = Date.now();
const infra = await startInfra({ runDir, topology: referenceTopology });
console.log('infra', Date.now() - t);
try {
  const d = infra.description;
  const environ = fs
    .readFileSync(`/proc/${d.rabbitmq.pid}/environ`, 'utf8')
    .split('\0')
    .filter((l) => /^(RABBITMQ_|ERL_|HOME=)/.test(l));
  console.log(environ);
  const env = Object.fromEntries(environ.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const ctl = '/usr/lib/rabbitmq/bin/rabbitmqctl';
  const conn = await amqp.connect(d.rabbitmq.url);
  const ch = await conn.createChannel();
  await ch.assertQueue('scratch', { durable: true });
  ch.sendToQueue('scratch', Buffer.from('hi'), { persistent: true });
  await ch.close();
  conn.on('close', () => console.log('conn closed at', Date.now() - t));
  conn.on('error', () => undefined);
  t = Date.now();
  const r1 = await run(ctl, ['-n', env.RABBITMQ_NODENAME!, 'stop_app'], { env: { ...process.env, ...env } });
  console.log('stop_app', Date.now() - t, r1.stdout.trim());
  t = Date.now();
  const r2 = await run(ctl, ['-n', env.RABBITMQ_NODENAME!, 'start_app'], { env: { ...process.env, ...env } });
  console.log('start_app', Date.now() - t, r2.stdout.trim());
  const c2 = await amqp.connect(d.rabbitmq.url);
  const ch2 = await c2.createChannel();
  console.log('queue after restart', await ch2.checkQueue('scratch'));
  await c2.close();
  const m = await (await fetch(`${d.toxiproxy.url}/metrics`)).text();
  console.log('metrics', m.slice(0, 300));
} finally {
  await infra.stop();
  fs.rmSync(runDir, { recursive: true, force: true });
}
