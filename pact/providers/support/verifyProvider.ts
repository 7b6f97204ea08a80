import type { ServiceName } from '@harness/runtime';
import { expect } from 'vitest';
import { selectedLinks } from '../../src/links.ts';
import { describeVerification } from '../../src/verify/verificationReport.ts';
import { verifyProviderLinks, type ProviderVerificationOptions } from '../../src/verify/verifyProviderLinks.ts';
import { providerServiceToken } from './runningApp.ts';

/**
 * Verifies the provider's pacts of this run's links (all, or `harness contracts --link`) and
 * fails the test with a readable report unless every link of the provider is verified.
 */
export async function expectProviderVerified(
  provider: ServiceName,
  options: Omit<ProviderVerificationOptions, 'provider' | 'links'>,
): Promise<void> {
  const links = selectedLinks().filter((link) => link.provider === provider);
  const report = await verifyProviderLinks({
    provider,
    links,
    requestHeaders: { 'X-Service-Token': providerServiceToken },
    ...options,
  });
  expect(report.ok, describeVerification(report)).toBe(true);
}
