import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { startPostgres, startRabbitMq, startToxiproxy } from '@harness/runtime';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exp4-'));
const logDir = path.join(dir, 'logs'); fs.mkdirSync(logDir);
const t = (label: string, p: Promise<any>) => { const s = performance.now(); return p.then((v) => { console.log(label, Math.round(performance.now() - s), 'ms'); return v; }); };
fs.mkdirSync(path.join(dir,'pg')); fs.mkdirSync(path.join(dir,'mq'));
const [pg, mq, tx] = await Promise.all([t('pg', startPostgres({ dir: path.join(dir,'pg'), logDir })), t('mq', startRabbitMq({ dir: path.join(dir,'mq'), logDir })), t('toxi', startToxiproxy({ logDir }))]);
await Promise.all([pg.stop(), mq.stop(), tx.stop()]);
fs.rmSync(dir, { recursive: true, force: true });
