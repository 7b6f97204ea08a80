import { describe, expect, it } from 'vitest';
import { interactionName, parseInteractionName } from '../src/pacts/interactionName.ts';

describe('interaction names', () => {
  it('reads the operation or message an interaction exercises', () => {
    expect(parseInteractionName('placeOrder: a confirmed order')).toEqual({
      target: 'placeOrder',
      scenario: 'a confirmed order',
    });
    expect(parseInteractionName('OrderCancelled: payment declined')).toEqual({
      target: 'OrderCancelled',
      scenario: 'payment declined',
    });
  });

  it('rejects descriptions that name nothing', () => {
    expect(parseInteractionName('a request for the catalog')).toBeUndefined();
    expect(parseInteractionName('placeOrder:no space')).toBeUndefined();
    expect(parseInteractionName('placeOrder: ')).toBeUndefined();
    expect(() => interactionName('place order', 'x')).toThrow(/not a valid interaction name/);
  });
});
