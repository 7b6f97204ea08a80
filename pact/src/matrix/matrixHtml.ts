import { COLUMN_TITLES, MATRIX_COLUMNS, type LinkMatrix } from './linkMatrix.ts';

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/**
 * The link matrix as an HTML fragment (a `<section>`, no page around it): reports/index.html is
 * assembled from fragments like this one. Each cell carries its detail as a tooltip and inline.
 */
export function linkMatrixHtml(matrix: LinkMatrix): string {
  const header = ['link', 'from → to', 'contract', ...MATRIX_COLUMNS.map((column) => COLUMN_TITLES[column])]
    .map((title) => `<th scope="col">${escapeHtml(title)}</th>`)
    .join('');
  const rows = matrix.rows
    .map((row) => {
      const cells = MATRIX_COLUMNS.map((column) => {
        const cell = row.cells[column];
        const mark = cell.status === 'pass' ? '✔' : '✘';
        return `<td class="cell-${cell.status}" title="${escapeHtml(cell.detail)}"><span class="mark">${mark}</span> <small>${escapeHtml(cell.detail)}</small></td>`;
      }).join('');
      const arrow = row.kind === 'amqp' ? '⇒' : '→';
      return `<tr class="${row.ok ? 'row-pass' : 'row-fail'}"><th scope="row">${row.id}</th><td>${escapeHtml(linkEnds(row.kind, row.consumer, row.provider, arrow))}</td><td>${escapeHtml(row.spec)}</td>${cells}</tr>`;
    })
    .join('\n');
  return [
    `<section id="contract-link-matrix" class="link-matrix ${matrix.ok ? 'matrix-pass' : 'matrix-fail'}">`,
    `<h2>Contract link matrix: ${matrix.ok ? 'all links green' : 'red cells'}</h2>`,
    `<p>Generated ${escapeHtml(matrix.generatedAt)}; breaking changes compared with ${escapeHtml(matrix.base)}.</p>`,
    '<style>.link-matrix table{border-collapse:collapse}.link-matrix td,.link-matrix th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}.link-matrix .cell-pass{background:#e6f4ea}.link-matrix .cell-fail{background:#fce8e6}.link-matrix small{color:#444}</style>',
    `<table><thead><tr>${header}</tr></thead><tbody>`,
    rows,
    '</tbody></table>',
    '</section>',
    '',
  ].join('\n');
}

/** Caller → server for HTTP; publisher ⇒ receiver for messages (the provider publishes). */
function linkEnds(kind: string, consumer: string, provider: string, arrow: string): string {
  return kind === 'amqp' ? `${provider} ${arrow} ${consumer}` : `${consumer} ${arrow} ${provider}`;
}
