// The payment process: env → config → span export → createService (service.ts) → run until SIGTERM/SIGINT.
import { exportTraces, runUntilSignal } from '@harness/kit';
import { loadPaymentConfig } from './config.ts';
import { createService } from './service.ts';

const config = loadPaymentConfig(process.env);
exportTraces(config);
const service = createService(config);
await runUntilSignal(service, service.logger);
