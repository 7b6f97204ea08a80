/** One problem found in a contract file. */
export interface ContractIssue {
  /** Path of the file the problem is in, relative to the contracts directory (posix separators). */
  file: string;
  /** Where in the document, as a dotted path: `paths./orders.post.responses.201`. */
  location: string;
  /** 1-based line of the location, when known. */
  line?: number;
  /** 1-based column of the location, when known. */
  column?: number;
  message: string;
  severity: ContractIssueSeverity;
  /** The rule or diagnostic code that reported it (e.g. `no-unresolved-refs`, `yaml-syntax`). */
  rule: string;
}

export type ContractIssueSeverity = 'error' | 'warning';

/** Turns a JSON pointer (`#/paths/~1orders/post`) into a dotted path (`paths./orders.post`). */
export function pointerToPath(pointer: string): string {
  const segments = pointer.replace(/^#?\/?/, '').split('/');
  return segments
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
}

/** `openapi/order.yaml:42:7 error [rule] paths./orders.post: message` */
export function formatContractIssue(issue: ContractIssue): string {
  const position = issue.line === undefined ? '' : `:${issue.line}:${issue.column ?? 1}`;
  const where = issue.location === '' ? '' : ` ${issue.location}:`;
  return `${issue.file}${position} ${issue.severity} [${issue.rule}]${where} ${issue.message}`;
}

export function hasErrors(issues: readonly ContractIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
