import { COLUMN_TITLES, MATRIX_COLUMNS, type LinkMatrix } from './linkMatrix.ts';

/** The matrix for a terminal: one line per link, then the reason of every red cell. */
export function linkMatrixText(
  matrix: LinkMatrix,
  paint: { green(text: string): string; red(text: string): string },
): string {
  const lines = [`link matrix (breaking changes vs ${matrix.base})`];
  const heads = MATRIX_COLUMNS.map((column) => COLUMN_TITLES[column]);
  lines.push(`  link  ${'pair'.padEnd(26)} ${heads.join(' | ')}`);
  for (const row of matrix.rows) {
    const pair = row.kind === 'amqp' ? `${row.provider} => ${row.consumer}` : `${row.consumer} -> ${row.provider}`;
    const marks = MATRIX_COLUMNS.map((column, index) => {
      const cell = row.cells[column];
      const text = (cell.status === 'pass' ? 'ok' : 'FAIL').padEnd(heads[index]?.length ?? 4);
      return cell.status === 'pass' ? paint.green(text) : paint.red(text);
    });
    lines.push(`  ${row.id.padEnd(4)}  ${pair.padEnd(26)} ${marks.join(' | ')}`);
  }
  for (const row of matrix.rows) {
    for (const column of MATRIX_COLUMNS) {
      const cell = row.cells[column];
      if (cell.status === 'fail') lines.push(`  ${row.id} ${COLUMN_TITLES[column]}: ${cell.detail}`);
    }
  }
  return lines.join('\n');
}
