import type { PaymentComponents } from '@harness/contracts';

export type Refund = PaymentComponents['schemas']['Refund'];
export type RefundRequest = PaymentComponents['schemas']['RefundRequest'];
