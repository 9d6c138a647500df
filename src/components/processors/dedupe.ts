/**
 * `dedupe` processor (spec components §9.2): `add`s each message's key to a cache resource; a key
 * already there drops the message; other cache failures drop it too (`drop_on_err`) or flag it.
 */
import { compileInterpolation } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { KEY_EXISTS } from '../caches/memory.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'

const MARK = new Uint8Array([0x74]) // 't', as the reference stores

export default defineComponent({
  kind: 'processor',
  name: 'dedupe',
  status: 'stable',
  summary:
    'Deduplicates messages by storing a key value in a cache using the `add` operator. If the key already exists within the cache it is dropped.',
  config: f.object('', [
    f.string('cache', { description: 'The `cache` resource to target with this processor.' }),
    f.interp('key', { description: 'An interpolated string yielding the key to deduplicate by for each message.' }),
    f.bool('drop_on_err', { default: true, description: 'Whether messages should be dropped when the cache returns a general error such as a network issue.' }),
  ]),
  examples: [
    {
      title: 'Deduplicate based on Kafka key',
      config: `pipeline:
  processors:
    - dedupe:
        cache: keycache
        key: '\${! meta("kafka_key") }'
cache_resources:
  - label: keycache
    memory:
      default_ttl: 60s
`,
      input: [
        { content: 'a', metadata: { kafka_key: 'k1' } },
        { content: 'b', metadata: { kafka_key: 'k1' } },
        { content: 'c', metadata: { kafka_key: 'k2' } },
      ],
      output: [
        { content: 'a', metadata: { kafka_key: 'k1' } },
        { content: 'c', metadata: { kafka_key: 'k2' } },
      ],
    },
  ],
  build: (c, ctx): Processor => {
    if (c.key === '') throw invalid('key', 'dedupe key must not be empty')
    const key = atField('key', () => compileInterpolation(c.key, { configDir: ctx.configDir }))
    if (!ctx.resources.hasCache(c.cache)) throw invalid('cache', `cache resource '${c.cache}' was not found`)
    const flag = errorFlagger(ctx, 'dedupe')
    return {
      async process(batch: Batch): Promise<Batch[]> {
        const out: Message[] = []
        for (let i = 0; i < batch.length; i++) {
          const m = batch[i]!
          let k: string
          try {
            k = key.string(batch, i)
          } catch (err) {
            // As the reference: flagged, yet not kept in the batch.
            flag(m, new Error(`key interpolation error: ${errorText(err)}`))
            continue
          }
          try {
            // Looked up per message: a replaced resource is used from the next access on.
            await ctx.resources.cache(c.cache).add(k, MARK)
          } catch (err) {
            if (errorText(err) === KEY_EXISTS) continue
            ctx.logger.error(`Cache error: ${errorText(err)}`)
            if (c.drop_on_err) continue
            flag(m, err)
          }
          out.push(m)
        }
        return out.length ? [out] : []
      },
      close: async () => {},
    }
  },
})
