import type { LinkId } from '@harness/runtime';
import type { ReportFiles } from './reportFiles.ts';

export const CONTRACT_MATRIX_JSON = 'contracts/link-matrix.json';
export const CONTRACT_MATRIX_HTML = 'contracts/link-matrix.html';

interface ContractCell {
  column: string;
  ok: boolean;
  detail: string;
}

/** The contract stage's verdict for one link (reports/contracts/link-matrix.json). */
export interface ContractLinkResult {
  ok: boolean;
  cells: ContractCell[];
}

export interface ContractMatrix {
  generatedAt: string | undefined;
  ok: boolean;
  links: Map<LinkId, ContractLinkResult>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the link matrix the contract stage writes (`{ generatedAt, ok, rows: [{ id, ok, cells:
 * { <column>: { status: 'pass'|'fail', detail } } }] }`). Undefined when the stage did not run or
 * the file is unreadable; rows it cannot read are left out (the link shows as not run).
 */
export function readContractMatrix(files: ReportFiles): ContractMatrix | undefined {
  const json = files.readJson(CONTRACT_MATRIX_JSON);
  if (!isRecord(json) || !Array.isArray(json.rows)) return undefined;
  const links = new Map<LinkId, ContractLinkResult>();
  for (const row of json.rows) {
    if (!isRecord(row) || typeof row.id !== 'string' || row.id === '') continue;
    const cells: ContractCell[] = [];
    if (isRecord(row.cells)) {
      for (const [column, cell] of Object.entries(row.cells)) {
        if (!isRecord(cell)) continue;
        cells.push({
          column,
          ok: cell.status === 'pass',
          detail: typeof cell.detail === 'string' ? cell.detail : '',
        });
      }
    }
    const ok = typeof row.ok === 'boolean' ? row.ok : cells.length > 0 && cells.every((cell) => cell.ok);
    links.set(row.id as LinkId, { ok, cells });
  }
  return {
    generatedAt: typeof json.generatedAt === 'string' ? json.generatedAt : undefined,
    ok: typeof json.ok === 'boolean' ? json.ok : [...links.values()].every((link) => link.ok),
    links,
  };
}
