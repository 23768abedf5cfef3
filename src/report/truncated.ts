/**
 * The note under an HTML table shortened to its first rows (html.ts HTML_TABLE_ROWS, operational.ts), one wording
 * for both. Counts are grouped as en-US writes them (1,234,567) without Number#toLocaleString: its first call
 * loads ICU's number formatting, ~28 ms of a report's CPU for two numbers (issue 13).
 */
export function truncatedNote(id: string, shown: number, total: number, what: string): string {
  return `<p class="truncated" id="${id}-truncated">Showing ${groupDigits(shown)} of ${groupDigits(total)} ${what}; the full list is in <code>gwe report BUNDLE -o json</code>.</p>`;
}

/** A non-negative integer with a comma every three digits, as `n.toLocaleString('en-US')` writes it. */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return n.toLocaleString('en-US');
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}
