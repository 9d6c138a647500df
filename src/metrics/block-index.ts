/**
 * Where each family block sits in a rendered exposition, recorded while it is rendered (worker
 * side, prom-text.ts) and sent beside the text, so the main thread cuts a changed snapshot into
 * blocks with a few slices instead of scanning it (`splitExposition`): with busy workers, a
 * scrape finds a good share of the 100 snapshots changed since the last one.
 *
 * Layout: STRIDE numbers per block, in text order,
 *   [start of `# HELP <name> …`, end of that name, start of `# TYPE …`, start of the samples]
 * a block ending where the next one starts (the last one at the end of the text). It describes
 * only texts rendered as prom-text.ts does: a HELP and a TYPE line per family, then its samples.
 */
import type { Block } from './merge.js'

export const STRIDE = 4

/**
 * The blocks `splitExposition(text)` gives, read from `index` instead of the text.
 *
 * @example blocksAt('# HELP a h\n# TYPE a counter\na 1\n', [0, 8, 11, 28]) // [{ name: 'a', help: 'h', type: 'counter', samples: 'a 1\n' }]
 */
export function blocksAt(text: string, index: readonly number[]): Block[] {
  const blocks: Block[] = []
  for (let i = 0; i < index.length; i += STRIDE) {
    const start = index[i]!
    const nameEnd = index[i + 1]!
    const typeAt = index[i + 2]!
    const samplesAt = index[i + 3]!
    const end = i + STRIDE < index.length ? index[i + STRIDE]! : text.length
    blocks.push({
      name: text.slice(start + 7, nameEnd),
      help: text.slice(nameEnd + 1, typeAt - 1),
      // `# TYPE ` and the name again, then a space.
      type: text.slice(typeAt + 8 + (nameEnd - start - 7), samplesAt - 1),
      samples: text.slice(samplesAt, end),
    })
  }
  return blocks
}
