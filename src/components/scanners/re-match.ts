/**
 * `re_match` scanner (spec components §9.5): splits the stream where the pattern (RE2 syntax)
 * matches, each message starting at a match (text before the first match is a message of its
 * own). A segment longer than `max_buffer_size` fails the read, as Go's bufio.Scanner does.
 * The stream is matched as UTF-8 text.
 */
import { compileRe2, re2All, type Re2 } from '../../bloblang/regex/index.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { TextSource } from '../shared/text-source.js'

export default defineComponent({
  kind: 'scanner',
  name: 're_match',
  status: 'stable',
  summary: 'Split an input stream into segments matching against a regular expression.',
  config: f.object('', [
    f.string('pattern', { description: 'The pattern to match against.' }),
    f.int('max_buffer_size', { default: 65536, description: 'Set the maximum buffer size for storing line data, this limits the maximum size that a message can be without causing an error.' }),
  ]),
  examples: [
    {
      title: 'Log lines that start with a time',
      config: `input:
  file:
    paths: [ ./data/*.txt ]
    scanner:
      re_match:
        pattern: '(?m)^\\d\\d:\\d\\d:\\d\\d'
`,
      // One log file: a continuation line stays with the line it continues.
      input: ['10:00:00 starting\n', '10:00:01 failed: boom\n', '  at main\n', '10:00:02 stopped\n'],
      output: ['10:00:00 starting\n', '10:00:01 failed: boom\n  at main\n', '10:00:02 stopped\n'],
    },
  ],
  build: (c): Scanner => {
    const re = atField('pattern', () => compileRe2(c.pattern))
    return {
      open: (source) => {
        const src = new TextSource(source)
        return {
          async next() {
            for (;;) {
              const cut = split(re, src.text, src.eof)
              if (cut !== undefined) {
                if (cut === 0) return undefined
                const token = src.text.slice(0, cut)
                src.consume(cut)
                return [new Message(token)]
              }
              if (Buffer.byteLength(src.text) >= c.max_buffer_size) throw new Error('bufio.Scanner: token too long')
              await src.more()
            }
          },
        }
      },
      close: async () => {},
    }
  },
})

/** The reference's split function: where the next token ends, or undefined to read more. */
function split(re: Re2, data: string, eof: boolean): number | undefined {
  if (eof && data.length === 0) return 0
  const loc = firstTwo(re, data)
  if (loc.length === 0) return eof ? data.length : undefined
  if (loc.length === 1) {
    if (!eof) return undefined
    return loc[0]!.index === 0 ? data.length : loc[0]!.index
  }
  return loc[0]!.index === 0 ? loc[1]!.index : loc[0]!.index
}

/** Starts of the first two matches (Go's `FindAllIndex(data, 2)`), without scanning further. */
function firstTwo(re: Re2, data: string): { index: number }[] {
  return re2All(re, data, 2)
}
