/** Plain-text tables for the terminal. */
export function formatTable(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((v) => (v === null || v === undefined ? '' : String(v))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}
