/**
 * A strict parser for the Prometheus text format (0.0.4) used by the tests: it throws on anything
 * a scraper could reject or misread (HELP/TYPE twice, TYPE after samples, a family's samples split
 * in two groups, duplicate series, bad names, bad escapes, unparsable values).
 */

export interface Sample {
  /** Sample name as written (`x_sum`, `x_bucket`...). */
  name: string
  labels: Record<string, string>
  value: number
}

export interface FamilyInfo {
  type: string | undefined
  help: string | undefined
  samples: Sample[]
}

export interface Exposition {
  families: Map<string, FamilyInfo>
  samples: Sample[]
  /** Comment lines other than HELP and TYPE. */
  comments: string[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const TYPES = new Set(['counter', 'gauge', 'summary', 'histogram', 'untyped'])

export function parseExposition(text: string): Exposition {
  if (text.length && !text.endsWith('\n')) throw new Error('exposition does not end with a newline')
  const families = new Map<string, FamilyInfo>()
  const samples: Sample[] = []
  const comments: string[] = []
  const closed = new Set<string>()
  const seen = new Set<string>()
  let current = ''
  const lines = text.split('\n')
  lines.pop()
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`
    if (line === '') return
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line)
      if (!m) {
        comments.push(line)
        return
      }
      const [, kind, name, rest = ''] = m
      if (!NAME.test(name!)) throw new Error(`bad metric name in ${where}`)
      const f = family(families, name!)
      if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`second HELP for ${name} at ${where}`)
        f.help = rest
      } else {
        if (f.type !== undefined) throw new Error(`second TYPE for ${name} at ${where}`)
        if (f.samples.length) throw new Error(`TYPE after samples for ${name} at ${where}`)
        if (!TYPES.has(rest)) throw new Error(`unknown type in ${where}`)
        f.type = rest
      }
      switchTo(name!)
      return
    }
    const s = parseSample(line, where)
    const fname = familyName(families, s.name)
    switchTo(fname)
    const key = `${s.name}{${Object.keys(s.labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(s.labels[k])}`)
      .join(',')}}`
    if (seen.has(key)) throw new Error(`duplicate series ${key} at ${where}`)
    seen.add(key)
    family(families, fname).samples.push(s)
    samples.push(s)
  })
  for (const [name, f] of families) {
    if (f.type === 'histogram' && f.samples.length && !f.samples.some((s) => s.labels.le === '+Inf')) throw new Error(`histogram ${name} has no +Inf bucket`)
  }
  return { families, samples, comments }

  function switchTo(name: string): void {
    if (name === current) return
    if (closed.has(name)) throw new Error(`family ${name} appears in two separate groups`)
    if (current) closed.add(current)
    current = name
  }
}

function family(families: Map<string, FamilyInfo>, name: string): FamilyInfo {
  let f = families.get(name)
  if (!f) families.set(name, (f = { type: undefined, help: undefined, samples: [] }))
  return f
}

/** `x_sum` belongs to summary/histogram `x`, `x_bucket` to histogram `x`. */
function familyName(families: Map<string, FamilyInfo>, sample: string): string {
  for (const suffix of ['_sum', '_count', '_bucket']) {
    if (!sample.endsWith(suffix)) continue
    const base = sample.slice(0, -suffix.length)
    const t = families.get(base)?.type
    if (t === 'histogram' || (t === 'summary' && suffix !== '_bucket')) return base
  }
  return sample
}

function parseSample(line: string, where: string): Sample {
  let i = 0
  while (i < line.length && line[i] !== '{' && line[i] !== ' ') i++
  const name = line.slice(0, i)
  if (!NAME.test(name)) throw new Error(`bad sample name in ${where}`)
  const labels: Record<string, string> = {}
  if (line[i] === '{') {
    i++
    while (line[i] !== '}') {
      const eq = line.indexOf('="', i)
      if (eq === -1) throw new Error(`bad labels in ${where}`)
      const label = line.slice(i, eq)
      if (!LABEL.test(label)) throw new Error(`bad label name ${label} in ${where}`)
      if (label in labels) throw new Error(`label ${label} twice in ${where}`)
      i = eq + 2
      let value = ''
      for (;;) {
        const c = line[i]
        if (c === undefined) throw new Error(`unterminated label value in ${where}`)
        if (c === '"') break
        if (c === '\\') {
          const n = line[i + 1]
          if (n === '\\') value += '\\'
          else if (n === '"') value += '"'
          else if (n === 'n') value += '\n'
          else throw new Error(`bad escape in ${where}`)
          i += 2
          continue
        }
        value += c
        i++
      }
      labels[label] = value
      i++
      if (line[i] === ',') i++
      else if (line[i] !== '}') throw new Error(`bad label separator in ${where}`)
    }
    i++
  }
  if (line[i] !== ' ') throw new Error(`no value in ${where}`)
  const parts = line.slice(i + 1).split(' ')
  if (parts.length > 2) throw new Error(`trailing text in ${where}`)
  return { name, labels, value: parseValue(parts[0]!, where) }
}

function parseValue(v: string, where: string): number {
  if (v === 'NaN') return NaN
  if (v === '+Inf') return Infinity
  if (v === '-Inf') return -Infinity
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) throw new Error(`bad value ${v} in ${where}`)
  return Number(v)
}

/** The value of the one sample with this name and exactly these labels (undefined if none). */
export function valueOf(e: Exposition, name: string, labels: Record<string, string>): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort())
  const s = e.samples.find((x) => x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want)
  return s?.value
}

/** `{ stream: { name: value } }` for samples without extra labels beyond label/path/stream. */
export function byStream(e: Exposition, names: readonly string[], path: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const s of e.samples) {
    if (!names.includes(s.name) || s.labels.path !== path || s.labels.stream === undefined) continue
    ;(out[s.labels.stream] ??= {})[s.name] = s.value
  }
  return out
}
