/**
 * Rows as an aligned plain-text table, the header underlined; cells are flattened to one line and cut at
 * `maxCell` characters (an operator reads it in a terminal; `--json` gives everything).
 *
 * @example
 * textTable(['state', 'amount'], [['completed', '2,999.00']]);
 */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, maxCell = 60): string {
  const clean = (cell: string) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters from stored text must not reach the terminal.
    const flat = cell.replace(/[\u0000-\u001f\u007f]+/g, ' ');
    return flat.length > maxCell ? `${flat.slice(0, maxCell - 1)}…` : flat;
  };
  const all = [header.map(clean), ...rows.map((row) => row.map(clean))];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(all[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}
