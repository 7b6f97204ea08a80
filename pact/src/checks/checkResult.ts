/** One problem a check found, named after where it is. */
export interface CheckIssue {
  /** Interaction description, when the issue is about one interaction. */
  interaction?: string;
  message: string;
}

export interface CheckResult {
  ok: boolean;
  /** How many interactions were checked (0 is itself an issue). */
  checked: number;
  issues: CheckIssue[];
  /** Non-fatal remarks (e.g. swagger-mock-validator warnings). */
  notes: string[];
}

export function checkResult(checked: number, issues: CheckIssue[], notes: string[] = []): CheckResult {
  return { ok: issues.length === 0, checked, issues, notes };
}

export const failedCheck = (message: string): CheckResult => checkResult(0, [{ message }]);

export function formatIssue(issue: CheckIssue): string {
  return issue.interaction === undefined ? issue.message : `"${issue.interaction}": ${issue.message}`;
}
