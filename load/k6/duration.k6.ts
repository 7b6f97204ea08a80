/** Parses a k6 duration ("500ms", "30s", "2m", "1h30m", or plain seconds) into seconds. */
export function parseDurationSeconds(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) throw new Error(`not a duration: "${text}" (use e.g. 30s, 2m, 1h30m)`);
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1);
    rest = rest.slice(match[0].length);
  }
  return total;
}

/** Seconds as a k6 duration string, rounded to whole seconds (at least 1 s). */
export function seconds(value: number): string {
  return `${Math.max(1, Math.round(value))}s`;
}
