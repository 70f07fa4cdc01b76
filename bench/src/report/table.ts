/** A cell is text or a number; numbers are formatted with {@link formatNumber}. */
export type Cell = string | number;

/** Compact human formatting: 3 significant digits, thousands as k/M for large values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? 'n/a' : String(value);
  }
  const abs = Math.abs(value);
  if (abs >= 1e9) {
    return `${(value / 1e9).toPrecision(3)}G`;
  }
  if (abs >= 1e6) {
    return `${(value / 1e6).toPrecision(3)}M`;
  }
  if (abs >= 1e4) {
    return `${(value / 1e3).toPrecision(3)}k`;
  }
  if (abs >= 100 || Number.isInteger(value)) {
    return String(Math.round(value));
  }
  return value.toPrecision(3);
}

/** Renders a Markdown table (readable in a terminal and pasteable into docs). */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  const text = rows.map((row) =>
    row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)),
  );
  const widths = headers.map((header, c) =>
    Math.max(header.length, ...text.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [
    line(headers),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...text.map(line),
  ].join('\n');
}
