/** `json_documents` scanner (spec components §9.5): one message per concatenated JSON document. */
import { parseJson } from '../../value/json-parse.js'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { skipSpace, valueEnd } from '../shared/json-stream.js'
import { TextSource } from '../shared/text-source.js'

export default defineComponent({
  kind: 'scanner',
  name: 'json_documents',
  status: 'stable',
  summary: 'Consumes a stream of one or more JSON documents.',
  config: f.object('', [], { default: {} }),
  examples: [
    {
      title: 'Newline-delimited or concatenated JSON',
      config: `input:
  file:
    paths: [ ./data/*.txt ]
    scanner:
      json_documents: {}
`,
      // One file: a document per line, then two with nothing between them.
      input: ['{"id":1}\n', '{"id":2}\n', '{"id":3}{"id":4}\n'],
      output: ['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}'],
    },
  ],
  build: (): Scanner => ({
    open: (source) => {
      const src = new TextSource(source)
      return {
        async next() {
          for (;;) {
            const start = skipSpace(src.text, 0)
            if (start < src.text.length) {
              const end = valueEnd(src.text, start, src.eof)
              if (end !== undefined) {
                const doc = src.text.slice(start, end)
                src.consume(end)
                return [Message.fromValue(parseJson(doc))]
              }
            } else if (src.eof) return undefined
            await src.more()
          }
        },
      }
    },
    close: async () => {},
  }),
})
