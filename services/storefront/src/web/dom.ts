/// <reference lib="dom" />

type AttributeValue = string | number | boolean | undefined;
type Child = Node | string | false | null | undefined;

/**
 * Creates an element with attributes and children. Text is always set as text (never parsed as
 * HTML), so product names and server messages cannot inject markup. `true` sets a boolean
 * attribute, `false`/`undefined` leaves it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, AttributeValue>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    element.append(child);
  }
  return element;
}

/** Sets an element's text only when it changes, so live regions announce changes and nothing else. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * Re-renders a container's children and gives focus back to the element with the same id, so a
 * keyboard user keeps their place when a list is redrawn.
 */
export function replaceChildrenKeepingFocus(container: Element, children: readonly Child[]): void {
  const active = document.activeElement;
  const focusedId = active && container.contains(active) ? active.id : '';
  container.replaceChildren(...children.filter((child) => child !== false && child !== null && child !== undefined));
  if (focusedId === '') return;
  const again = document.getElementById(focusedId);
  if (again instanceof HTMLElement && !again.hasAttribute('disabled')) again.focus();
}

/** The element with this id, or an error naming the missing one (index.html and the code disagree). */
export function requiredElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`storefront page is missing #${id}`);
  return element;
}

/** An id-safe form of a product id (slugs already are; anything else is replaced). */
export function idPart(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '_');
}
