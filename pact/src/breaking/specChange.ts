/** One difference between a spec at the base ref and now. */
export interface SpecChange {
  level: 'breaking' | 'warning' | 'info';
  /** Rule or change id (oasdiff's id, `asyncapi:<action>` or `graphql:<change type>`). */
  id: string;
  text: string;
  /** Operation (`POST /orders`), message (`OrderConfirmed`) or schema path (`Order.status`) it concerns. */
  where?: string;
}

export type SpecComparisonStatus =
  /** No breaking change. */
  | 'compatible'
  /** Breaking changes, and the major version was bumped: allowed. */
  | 'versioned'
  /** Breaking changes without a major version bump: the gate fails. */
  | 'breaking'
  /** The spec is new since the base (nothing to compare). */
  | 'new'
  /** The spec existed at the base and is gone: breaking unless nothing used it (the matrix decides). */
  | 'removed'
  /** The comparison could not run (tool missing, unreadable spec). */
  | 'error';

export interface SpecComparison {
  kind: 'openapi' | 'asyncapi' | 'graphql' | 'proto';
  /** Spec file name without extension (`proto` for the buf module). */
  spec: string;
  status: SpecComparisonStatus;
  baseVersion?: string;
  headVersion?: string;
  changes: SpecChange[];
  message?: string;
}

export function comparisonStatus(changes: readonly SpecChange[], bumped: boolean): SpecComparisonStatus {
  if (!changes.some((change) => change.level === 'breaking')) return 'compatible';
  return bumped ? 'versioned' : 'breaking';
}

export const failsGate = (comparison: SpecComparison): boolean =>
  comparison.status === 'breaking' || comparison.status === 'removed' || comparison.status === 'error';
