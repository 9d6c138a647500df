// Regex-heavy mappings on typical log lines: Bloblang `re_*` methods (RE2 semantics, linear time:
// V8 where provably linear, re2js otherwise) vs the same transforms hand-written with V8 RegExps,
// with the full message round trip on both sides. A second table times the regex module alone on
// each pattern with the engine chosen automatically, forced to V8 (the old, unsafe behaviour) and
// forced to re2js, so the cost of linearity per pattern is visible.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'
import { printTable } from '../lib/table.mjs'

const here = fileURLToPath(new URL('.', import.meta.url))
export const name = 'regex'
export const description = 'Regex-heavy Bloblang mappings vs hand-written JS with V8 RegExp, and the regex engines per pattern'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const levels = ['INFO', 'WARN', 'ERROR', 'DEBUG']

function makeLine(i) {
  return `2026-12-07T02:${String(i % 60).padStart(2, '0')}:11.123Z ${levels[i % 4]} [worker-${i % 8}] request id=${1000 + i} user=alice${i % 13}@example.com path=/api/v1/items/${i} status=${i % 7 === 0 ? 503 : 200} took=${i % 97}ms${i % 5 === 0 ? ' upstream timeout' : ''}`
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

const cases = [
  {
    name: 're_match anchored level',
    pattern: String.raw`^\S+ (ERROR|WARN) `,
    mapping: String.raw`root.alert = this.line.re_match("^\\S+ (ERROR|WARN) ")`,
    js: (d) => ({ alert: /^\S+ (ERROR|WARN) /.test(d.line) }),
  },
  {
    name: 're_match (?i) alternation',
    pattern: '(?i)timeout|refused',
    mapping: 'root.retry = this.line.re_match("(?i)timeout|refused")',
    js: (d) => ({ retry: /timeout|refused/i.test(d.line) }),
  },
  {
    name: 're_replace_all digits',
    pattern: '[0-9]+',
    mapping: 'root.shape = this.line.re_replace_all("[0-9]+", "N")',
    js: (d) => ({ shape: d.line.replace(/[0-9]+/g, 'N') }),
  },
  {
    name: 're_find_object line parse',
    pattern: String.raw`^(?P<ts>\S+) (?P<level>\w+) \[(?P<thread>[^\]]+)\] (?P<msg>.*)$`,
    mapping: String.raw`root = this.line.re_find_object("^(?P<ts>\\S+) (?P<level>\\w+) \\[(?P<thread>[^\\]]+)\\] (?P<msg>.*)$")`,
    js: (d) => {
      const m = /^(?<ts>\S+) (?<level>\w+) \[(?<thread>[^\]]+)\] (?<msg>.*)$/.exec(d.line)
      return m === null ? {} : sorted({ 0: m[0], ...m.groups })
    },
  },
  {
    name: 're_find_all_object key=value',
    pattern: String.raw`(?P<k>\w+)=(?P<v>[^ ]+)`,
    mapping: String.raw`root.kv = this.line.re_find_all_object("(?P<k>\\w+)=(?P<v>[^ ]+)")`,
    js: (d) => ({ kv: [...d.line.matchAll(/(?<k>\w+)=(?<v>[^ ]+)/g)].map((m) => sorted({ 0: m[0], ...m.groups })) }),
  },
  {
    name: 're_replace_all mask emails',
    pattern: String.raw`[\w.]+@[\w.]+`,
    mapping: String.raw`root.masked = this.line.re_replace_all("[\\w.]+@[\\w.]+", "<email>")`,
    js: (d) => ({ masked: d.line.replace(/[\w.]+@[\w.]+/g, '<email>') }),
  },
  {
    name: 're_match .* around words',
    pattern: '.*(timeout|refused).*',
    mapping: 'root.retry = this.line.re_match(".*(timeout|refused).*")',
    js: (d) => ({ retry: /.*(timeout|refused).*/.test(d.line) }),
  },
  {
    name: 're_find_all path segments',
    pattern: String.raw`(?:/\w+)+`,
    mapping: String.raw`root.paths = this.line.re_find_all("(?:/\\w+)+")`,
    js: (d) => ({ paths: d.line.match(/(?:\/\w+)+/g) ?? [] }),
  },
]

function timeIt(fn, inputs, iterations) {
  const start = process.hrtime.bigint()
  let sink = 0
  for (let i = 0; i < iterations; i++) {
    const r = fn(inputs[i % inputs.length])
    sink += typeof r === 'string' ? r.length : r === true ? 1 : (r?.length ?? 0)
  }
  const ns = Number(process.hrtime.bigint() - start)
  if (sink < 0) console.log(sink)
  return ns / iterations
}

/** Paired, alternating chunks of `a` and `b`: medians of each and of the per-pair ratio b/a. */
function paired(a, b, inputs, rounds, chunk) {
  timeIt(a, inputs, chunk)
  timeIt(b, inputs, chunk)
  const as = []
  const bs = []
  const ratios = []
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < 10; k++) {
      let x, y
      if ((r + k) % 2 === 0) {
        x = timeIt(a, inputs, chunk)
        y = timeIt(b, inputs, chunk)
      } else {
        y = timeIt(b, inputs, chunk)
        x = timeIt(a, inputs, chunk)
      }
      as.push(x)
      bs.push(y)
      ratios.push(y / x)
    }
  }
  return { a: median(as), b: median(bs), ratio: median(ratios), as, bs, ratios }
}

export async function run({ quick = false } = {}) {
  const dist = join(here, '..', '..', 'dist', 'src')
  const { compileMapping, Message } = await import(pathToFileURL(join(dist, 'index.js')).href)
  const rx = await import(pathToFileURL(join(dist, 'bloblang', 'regex', 'index.js')).href)
  const lines = Array.from({ length: 64 }, (_, i) => makeLine(i))
  const inputs = lines.map((line) => encoder.encode(JSON.stringify({ line })))
  const rounds = quick ? 2 : 5
  const chunk = quick ? 300 : 1000

  const rows = []
  const engineRows = []
  const data = {}
  const summary = []
  for (const c of cases) {
    progress(`${c.name}: mapping vs hand-written JS`)
    const mapping = compileMapping(c.mapping)
    const blobl = (bytes) => mapping.execMapping([new Message(bytes)], 0).bytes()
    const js = (bytes) => encoder.encode(JSON.stringify(c.js(JSON.parse(decoder.decode(bytes)))))
    for (const b of inputs.slice(0, 8)) {
      const x = decoder.decode(blobl(b))
      const y = decoder.decode(js(b))
      if (JSON.stringify(JSON.parse(x)) !== JSON.stringify(JSON.parse(y))) throw new Error(`${c.name}: outputs differ\n${x}\n${y}`)
    }
    const m = paired(blobl, js, inputs, rounds, chunk)
    const engine = rx.compileRe2(c.pattern).engine
    rows.push([c.name, engine, (m.a / 1000).toFixed(2), (m.b / 1000).toFixed(2), m.ratio.toFixed(2)])
    summary.push([`µs/msg, ${c.name} (${engine}) vs hand-written JS`, (m.a / 1000).toFixed(2), (m.b / 1000).toFixed(2), `${m.ratio.toFixed(2)} (js/bloblang)`])

    progress(`${c.name}: regex module, auto vs V8 vs re2js`)
    const op = c.name.startsWith('re_match') ? 'test' : c.name.startsWith('re_replace') ? 'replace' : c.name.includes('find_all') ? 'all' : 'first'
    const bind = (r) => {
      if (op === 'test') return (s) => rx.re2Test(r, s)
      if (op === 'replace') return (s) => rx.re2ReplaceAll(r, s, 'N')
      if (op === 'all') return (s) => rx.re2All(r, s)
      return (s) => rx.re2First(r, s)
    }
    const auto = bind(rx.compileRe2(c.pattern))
    const v8 = bind(rx.compileRe2(c.pattern, 'v8'))
    const re2 = bind(rx.compileRe2(c.pattern, 're2'))
    const av = paired(v8, auto, lines, rounds, chunk)
    const rv = paired(v8, re2, lines, rounds, chunk)
    engineRows.push([c.name, engine, (av.b / 1000).toFixed(2), (av.a / 1000).toFixed(2), (rv.b / 1000).toFixed(2), av.ratio.toFixed(2), rv.ratio.toFixed(2)])
    data[c.name] = { engine, mapping: m, autoVsV8: av, re2VsV8: rv }
  }
  printTable(
    'Regex module alone, µs per line (auto = the engine the module picks; v8 = old unsafe behaviour; ratios are time / v8 time)',
    ['pattern', 'engine', 'auto µs', 'v8 µs', 're2js µs', 'auto/v8', 're2js/v8'],
    engineRows,
  )
  return {
    title: `Regex mappings vs hand-written JS with V8 RegExp (${rounds} rounds × 10 paired chunks of ${chunk} messages; ratio = median js/bloblang)`,
    header: ['transform', 'engine', 'bloblang µs/msg', 'js µs/msg', 'ratio'],
    rows,
    data: { ...data, engineTable: engineRows },
    summary,
  }
}
