// Prints an aligned text table.
/** `left`: how many leading columns are text (left-aligned); the rest are numbers. */
export function printTable(title, header, rows, left = 1) {
  const all = [header, ...rows].map((r) => r.map(String))
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  const line = (r) => r.map((c, i) => (i < left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log(`\n${title}`)
  console.log(line(all[0]))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of all.slice(1)) console.log(line(r))
}
