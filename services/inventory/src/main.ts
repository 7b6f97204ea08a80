// The inventory process: env → config → span export → createService (service.ts) → run until SIGTERM/SIGINT.
import { exportTraces, runUntilSignal } from '@harness/kit';
import { loadInventoryConfig } from './config.ts';
import { createService } from './service.ts';

const config = loadInventoryConfig(process.env);
exportTraces(config);
const service = createService(config);
await runUntilSignal(service, service.logger);
