import { describe, expect, it } from 'vitest';
import { formatContractIssue, pointerToPath } from '../src/contract-issue.ts';

describe('pointerToPath', () => {
  it('unescapes JSON pointer segments into a dotted path', () => {
    expect(pointerToPath('#/paths/~1orders~1{orderId}/get/responses/200')).toBe(
      'paths./orders/{orderId}.get.responses.200',
    );
    expect(pointerToPath('#/content/application~1problem+json')).toBe('content.application/problem+json');
    expect(pointerToPath('#/')).toBe('');
  });
});

describe('formatContractIssue', () => {
  it('prints file:line:col, severity, rule, location and message', () => {
    const line = formatContractIssue({
      file: 'openapi/order.yaml',
      location: 'paths./orders.post',
      line: 42,
      column: 7,
      message: 'broken',
      severity: 'error',
      rule: 'struct',
    });
    expect(line).toBe('openapi/order.yaml:42:7 error [struct] paths./orders.post: broken');
  });
});
