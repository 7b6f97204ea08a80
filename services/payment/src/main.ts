// The payment process: env → config → createService (service.ts) → run until SIGTERM/SIGINT.
import { runUntilSignal } from '@harness/kit';
import { loadPaymentConfig } from './config.ts';
import { createService } from './service.ts';

const config = loadPaymentConfig(process.env);
const service = createService(config);
await runUntilSignal(service, service.logger);
