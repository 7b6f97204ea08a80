import type { PaymentComponents } from '@harness/contracts';

export type Charge = PaymentComponents['schemas']['Charge'];
export type ChargeRequest = PaymentComponents['schemas']['ChargeRequest'];
