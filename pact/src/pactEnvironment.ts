/**
 * Pact's native core reports anonymous usage to a remote endpoint unless told not to; the
 * harness never phones home. Imported first by every module that loads @pact-foundation/pact.
 */
process.env['PACT_DO_NOT_TRACK'] ??= 'true';

export {};
