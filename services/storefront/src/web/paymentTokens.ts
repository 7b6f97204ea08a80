/** The payment provider's test tokens (payment.yaml), as the page offers them. */
export const paymentTokens = [
  { token: 'tok_approve', label: 'Test card: approved' },
  { token: 'tok_decline', label: 'Test card: declined' },
  { token: 'tok_slow', label: 'Test card: approved slowly (about 5 s)' },
] as const;

export type PaymentToken = (typeof paymentTokens)[number]['token'];

export const defaultPaymentToken: PaymentToken = 'tok_approve';
