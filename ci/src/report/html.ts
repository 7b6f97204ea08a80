/** Text as HTML (element content or a quoted attribute value). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

/** A path relative to reports/ as an href (each segment URL-encoded, `/` kept). */
function hrefOf(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}

export interface ReportLink {
  label: string;
  /** Relative to the reports directory; only files that exist are ever linked. */
  path: string;
}

export function linkHtml(link: ReportLink): string {
  return `<a href="${escapeHtml(hrefOf(link.path))}">${escapeHtml(link.label)}</a>`;
}
