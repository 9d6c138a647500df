// Bloblang vs hand-written transforms: the Bloblang helper's benchmark (bench/bloblang.mjs), which
// already returns the runner's { title, header, rows, data }; a progress line and the summary rows
// are added here.
import { run as runBloblang } from '../bloblang.mjs'
import { progress } from '../lib/progress.mjs'

export const name = 'bloblang'
export const description = 'Bloblang mappings vs the same transforms hand-written in JS (in-process, one thread)'

export async function run({ quick }) {
  progress('timing mappings and hand-written transforms')
  const r = await runBloblang({ quick })
  // Rows are [transform, bloblang µs/msg, js µs/msg, ratio js/bloblang].
  const summary = r.rows.map((row) => [`µs/msg, Bloblang vs hand-written JS: ${row[0]}`, row[1], row[2], `${row[3]} (js/bloblang)`])
  return { ...r, summary }
}
