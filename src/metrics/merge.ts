/**
 * Merges Prometheus text expositions rendered by the workers (each already carrying its `stream`
 * label) into one valid exposition: one HELP/TYPE per family, samples of every stream grouped under
 * it. Text regrouping costs the main thread less than parsing into objects (spec/node-limits.md).
 */

interface Family {
  help: string | undefined
  type: string | undefined
  samples: string[]
}

/** `texts` in any order; families keep the order they were first seen in. */
export function mergeExpositions(texts: readonly string[]): string {
  const families = new Map<string, Family>()
  for (const text of texts) {
    let current: Family | undefined
    let start = 0
    while (start < text.length) {
      let end = text.indexOf('\n', start)
      if (end === -1) end = text.length
      const line = text.slice(start, end)
      start = end + 1
      if (line.length === 0) continue
      if (line.charCodeAt(0) === 35 /* # */) {
        const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line)
        if (!m) continue
        current = family(families, m[2]!)
        if (m[1] === 'HELP') current.help ??= m[3]!
        else current.type ??= m[3]!
        continue
      }
      ;(current ?? family(families, sampleName(line))).samples.push(line)
    }
  }
  let out = ''
  for (const [name, f] of families) {
    if (f.samples.length === 0) continue
    if (f.help !== undefined) out += `# HELP ${name} ${f.help}\n`
    if (f.type !== undefined) out += `# TYPE ${name} ${f.type}\n`
    out += f.samples.join('\n') + '\n'
  }
  return out
}

function family(families: Map<string, Family>, name: string): Family {
  let f = families.get(name)
  if (!f) {
    f = { help: undefined, type: undefined, samples: [] }
    families.set(name, f)
  }
  return f
}

function sampleName(line: string): string {
  const brace = line.indexOf('{')
  const space = line.indexOf(' ')
  const end = brace !== -1 && (space === -1 || brace < space) ? brace : space
  return end === -1 ? line : line.slice(0, end)
}
