// Bloblang vs hand-written transforms: the Bloblang helper's benchmark (bench/bloblang.mjs), which
// already returns the runner's { title, header, rows, data }; a progress line and the summary rows
// are added here.
import { run as runBloblang } from '../bloblang.mjs'
import { progress } from '../lib/progress.mjs'

export const name = 'bloblang'
export const description = 'Bloblang mappings (generated code and closures) vs the same transforms hand-written in JS (in-process, one thread)'

export async function run({ quick }) {
  progress('timing mappings and hand-written transforms')
  const r = await runBloblang({ quick })
  // Rows are [transform, generated µs, closures µs, js µs, ratio generated, ratio closures, fallbacks].
  const summary = r.rows
    .filter((row) => row[1] !== '')
    .flatMap((row) => [
      [`µs/msg, generated Bloblang vs hand-written JS: ${row[0]}`, row[1], row[3], `${row[4]} (js/bloblang)`],
      [`µs/msg, closure Bloblang vs hand-written JS: ${row[0]}`, row[2], row[3], `${row[5]} (js/bloblang)`],
    ])
  return { ...r, summary }
}
