// The YAML front door (src/config/yaml.ts: positions, limits, go-yaml block scalars) against the
// `yaml` package's own `parseDocument` + `toJS` on the same text, interleaved in rounds so drift
// hits both. The text is a stream file of many processors with literal and folded block scalars,
// ending without a final newline (the case go-yaml reads differently).
import { pathToFileURL, fileURLToPath } from 'node:url'
import { median, fmt } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
export const name = 'config-yaml'
export const description = 'Parsing a stream config: Weir\'s YAML front door (go-yaml block scalars, positions, limits) vs yaml.parseDocument().toJS()'

function config(processors) {
  const lines = ['input:', '  generate:', '    mapping: root = {}', 'pipeline:', '  processors:']
  for (let i = 0; i < processors; i++) {
    lines.push(`    - label: step_${i}`, '      mapping: |', `        root = this`, `        root.n${i} = ${i}`, `    - log:`, `        message: >-`, `          step ${i}`, `          folded`)
  }
  lines.push('output:', '  drop: {}', 'tests:', '  - name: last', '    output_batches:', '      - - content_equals: |', '            end')
  return lines.join('\n')
}

export async function run({ quick }) {
  const { parseYamlText } = await import(pathToFileURL(`${here}../../dist/src/config/yaml.js`).href)
  const YAML = await import('yaml')
  const sizes = quick ? [50] : [50, 500]
  const rows = []
  const summary = []
  const data = {}
  for (const n of sizes) {
    const text = config(n)
    const weir = () => parseYamlText(text)
    const plain = () => YAML.parseDocument(text, { merge: true }).toJS()
    const check = weir()
    if (!check.ok) throw new Error(check.error.message)
    if (JSON.stringify(check.value.tests) === JSON.stringify(plain().tests)) throw new Error('baseline and candidate should differ on the final block scalar')
    const rounds = quick ? 5 : 15
    const per = n >= 500 ? 5 : 40
    const a = []
    const b = []
    for (let r = 0; r < rounds; r++) {
      progress(`${n} processors: round ${r + 1}/${rounds}`)
      const order = r % 2 === 0 ? [[weir, a], [plain, b]] : [[plain, b], [weir, a]]
      for (const [fn, out] of order) {
        const t0 = performance.now()
        for (let i = 0; i < per; i++) fn()
        out.push((performance.now() - t0) / per)
      }
    }
    const ma = median(a)
    const mb = median(b)
    rows.push([`${n * 2} processors (${(text.length / 1024).toFixed(0)} KiB)`, fmt(ma, 2), fmt(mb, 2), `${fmt(ma / mb, 2)}x`])
    summary.push([`ms/parse, ${n * 2}-processor config: Weir front door vs yaml.parseDocument`, fmt(ma, 2), fmt(mb, 2), `${fmt(ma / mb, 2)}x (weir/yaml)`])
    data[n] = { weirMs: ma, yamlMs: mb, bytes: text.length }
  }
  return { title: 'Config YAML parse (median ms per parse)', header: ['config', 'weir ms', 'yaml ms', 'ratio'], rows, summary, data }
}
