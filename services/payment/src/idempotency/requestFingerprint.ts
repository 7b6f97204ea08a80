// The kit's fingerprint (one implementation for every service), under the name this service's
// modules and tests have always used.
export { canonicalJson, requestFingerprint } from '@harness/kit';
