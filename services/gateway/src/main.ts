// The gateway process: env → config → createService (service.ts) → run until SIGTERM/SIGINT.
import { runUntilSignal } from '@harness/kit';
import { loadGatewayConfig } from './config.ts';
import { createService } from './service.ts';

const config = loadGatewayConfig(process.env);
const service = createService(config);
await runUntilSignal(service, service.logger);
