/**
 * Every interaction names what it exercises: `<operationId>: <scenario>` for HTTP
 * (`placeOrder: a confirmed order`), `<MessageName>: <scenario>` for messages
 * (`OrderCancelled: payment declined`). The checks use the name to find the operation or message
 * in the spec; an interaction whose name matches none fails.
 */
export interface InteractionName {
  /** operationId or message name. */
  target: string;
  scenario: string;
}

const NAME = /^([A-Za-z][A-Za-z0-9_]*): (\S.*)$/;

export function parseInteractionName(description: string): InteractionName | undefined {
  const match = NAME.exec(description);
  if (!match?.[1] || !match[2]) return undefined;
  return { target: match[1], scenario: match[2] };
}

export function interactionName(target: string, scenario: string): string {
  const name = `${target}: ${scenario}`;
  if (!parseInteractionName(name)) throw new Error(`not a valid interaction name: "${name}"`);
  return name;
}
