import type { VerifiedInteraction } from './verificationReport.ts';

interface VerifierJson {
  result?: boolean;
  interactionResults?: Array<{ consumer?: string; description?: string; result?: string; pending?: boolean }>;
  errors?: Array<{ interaction?: string; mismatch?: unknown }>;
}

export interface VerifierOutcome {
  passed: boolean;
  interactions: VerifiedInteraction[];
  errors: string[];
}

/**
 * Reads what the Pact verifier returns: the results JSON on success, an Error whose message is
 * the results JSON on failure, or another error when it could not run at all.
 */
export function verifierOutcome(result: unknown, failed: boolean): VerifierOutcome {
  const text = failed ? (result instanceof Error ? result.message : String(result)) : String(result ?? '');
  let json: VerifierJson;
  try {
    json = JSON.parse(text) as VerifierJson;
  } catch {
    return {
      passed: false,
      interactions: [],
      errors: [failed ? `the verifier failed: ${text}` : 'the verifier returned no results'],
    };
  }
  const interactions = (json.interactionResults ?? []).map((entry) => ({
    consumer: entry.consumer ?? '?',
    description: entry.description ?? '?',
    ok: entry.result === 'OK',
    pending: entry.pending === true,
  }));
  const errors = (json.errors ?? []).map((error) => `${error.interaction ?? '?'}: ${summarise(error.mismatch)}`);
  return { passed: !failed && json.result !== false, interactions, errors };
}

function summarise(mismatch: unknown): string {
  const text = JSON.stringify(mismatch) ?? '';
  return text.length > 600 ? `${text.slice(0, 597)}...` : text;
}
