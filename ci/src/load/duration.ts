/** Parses a Go/k6 duration ("500ms", "30s", "1m10s", "1h") or plain seconds into seconds. */
export function durationSeconds(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = text;
  if (rest.length === 0) throw new Error('empty duration');
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) throw new Error(`not a duration: "${text}" (use e.g. 30s, 2m, 1h30m)`);
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1);
    rest = rest.slice(match[0].length);
  }
  return total;
}
