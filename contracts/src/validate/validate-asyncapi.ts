import { readFile } from 'node:fs/promises';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { ContractIssue } from '../contract-issue.ts';
import { contractRelative } from '../spec-files.ts';

type Diagnostic = Awaited<ReturnType<Parser['validate']>>[number];
type RangeLookup = (path: string[]) => { start: { line: number; character: number } } | undefined;

const parser = new Parser();

/** Validates one AsyncAPI document with @asyncapi/parser (errors and warnings) plus project checks. */
export async function validateAsyncapiSpec(contractsDir: string, specFile: string): Promise<ContractIssue[]> {
  const source = await readFile(specFile, 'utf8');
  const { document, diagnostics, extras } = await parser.parse(source, { source: specFile });
  const issues = diagnostics.flatMap((diagnostic) => fromDiagnostic(contractsDir, specFile, diagnostic));
  if (document) {
    const lookup: RangeLookup = (path) => extras?.document.getRangeForJsonPath(path) ?? undefined;
    issues.push(...checkMessageExamples(contractsDir, specFile, document, lookup));
  }
  return issues;
}

function fromDiagnostic(contractsDir: string, specFile: string, diagnostic: Diagnostic): ContractIssue[] {
  const severity =
    diagnostic.severity === DiagnosticSeverity.Error
      ? 'error'
      : diagnostic.severity === DiagnosticSeverity.Warning
        ? 'warning'
        : undefined;
  if (severity === undefined) return []; // information and hints (e.g. "a newer AsyncAPI version exists")
  return [
    {
      file: contractRelative(contractsDir, diagnostic.source ?? specFile),
      location: diagnostic.path.join('.'),
      line: diagnostic.range.start.line + 1,
      column: diagnostic.range.start.character + 1,
      message: diagnostic.message,
      severity,
      rule: String(diagnostic.code),
    },
  ];
}

/** Every message carries at least one example (used by docs, contract tests and validator tests). */
function checkMessageExamples(
  contractsDir: string,
  specFile: string,
  document: AsyncAPIDocumentInterface,
  lookup: RangeLookup,
): ContractIssue[] {
  const issues: ContractIssue[] = [];
  for (const message of document.allMessages()) {
    if (message.examples().length > 0) continue;
    const pointer = String(message.meta('pointer') ?? `/components/messages/${message.id()}`);
    const path = pointer.split('/').filter((segment) => segment !== '');
    const start = lookup(path)?.start;
    issues.push({
      file: contractRelative(contractsDir, specFile),
      location: path.join('.'),
      ...(start ? { line: start.line + 1, column: start.character + 1 } : {}),
      message: `Message "${message.id()}" has no example.`,
      severity: 'error',
      rule: 'message-example',
    });
  }
  return issues;
}
