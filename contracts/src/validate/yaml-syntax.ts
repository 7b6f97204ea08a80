import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ContractIssue } from '../contract-issue.ts';
import { contractRelative } from '../spec-files.ts';

/** Reports YAML syntax errors (with line and column) so that they are not hidden behind ref errors. */
export async function checkYamlSyntax(contractsDir: string, files: readonly string[]): Promise<ContractIssue[]> {
  const issues: ContractIssue[] = [];
  for (const file of files) {
    const document = parseDocument(await readFile(file, 'utf8'));
    for (const error of document.errors) {
      const position = error.linePos?.[0];
      issues.push({
        file: contractRelative(contractsDir, file),
        location: '',
        ...(position ? { line: position.line, column: position.col } : {}),
        message: `YAML syntax error: ${firstLine(error.message)}`,
        severity: 'error',
        rule: 'yaml-syntax',
      });
    }
  }
  return issues;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
