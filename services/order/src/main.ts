// The order process: env → config → createService (service.ts) → run until SIGTERM/SIGINT.
import { loadConfig, runUntilSignal } from '@harness/kit';
import { orderConfigSchema } from './config.ts';
import { createService } from './service.ts';

const config = loadConfig(orderConfigSchema, process.env);
const service = createService(config);
await runUntilSignal(service, service.logger);
