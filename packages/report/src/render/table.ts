/**
 * Plain-text tables for terminal output: columns padded to their widest
 * cell, numbers right-aligned, colour applied after padding so escape codes
 * never skew the alignment.
 */

/** A cell; `color` is an ANSI SGR code (e.g. '31' for red), used only when the table is painted. */
export type Cell = string | { text: string; color?: string };

/** Render rows under a header; `right[i]` right-aligns column i. Returns lines without a trailing newline. */
export function table(header: readonly string[], rows: readonly (readonly Cell[])[], right: readonly boolean[], color: boolean): string[] {
  const text = (c: Cell): string => (typeof c === 'string' ? c : c.text);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => text(r[i] ?? '').length)));
  const line = (cells: readonly Cell[]): string =>
    cells
      .map((c, i) => {
        const t = text(c);
        const shown = color && typeof c !== 'string' && c.color ? paint(t, c.color) : t;
        const pad = ' '.repeat(widths[i]! - t.length);
        return right[i] ? pad + shown : shown + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Wrap text in an ANSI SGR code. */
export function paint(text: string, code: string): string {
  return `\u001b[${code}m${text}\u001b[0m`;
}
