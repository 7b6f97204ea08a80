// The order process: env → config → span export → createService (service.ts) → run until SIGTERM/SIGINT.
import { exportTraces, loadConfig, runUntilSignal } from '@harness/kit';
import { orderConfigSchema } from './config.ts';
import { createService } from './service.ts';

const config = loadConfig(orderConfigSchema, process.env);
exportTraces(config);
const service = createService(config);
await runUntilSignal(service, service.logger);
