const formats = new Map<string, Intl.NumberFormat>();

/** Formats an amount in minor units (cents) of an ISO 4217 currency, e.g. 7248 EUR → "€72.48". */
export function formatMoney(amountCents: number, currency: string): string {
  let format = formats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      return `${(amountCents / 100).toFixed(2)} ${currency}`;
    }
    formats.set(currency, format);
  }
  return format.format(amountCents / 100);
}
