/**
 * `cached` processor (spec components §9.2): per message, a cached result (stored by this
 * processor under the interpolated key) replaces the message; otherwise the child processors run
 * and their result is stored unless `skip_on` holds for it. Stored values use the reference's
 * versioned layout (big-endian u32s: version 1, message count, then length + bytes per message),
 * so a cache shared with Redpanda Connect reads the same entries.
 */
import { compileInterpolation, compileMapping, type Interpolation, type Mapping } from '../../bloblang/index.js'
import { parseDuration } from '../../config/duration.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'
import { errorFlagger } from '../shared/processor-error.js'
import { runProcessors } from '../shared/run-processors.js'

export default defineComponent({
  kind: 'processor',
  name: 'cached',
  status: 'stable',
  summary:
    'Cache the result of applying one or more processors to messages identified by a key. If the key already exists within the cache the contents of the message will be replaced with the cached result instead of applying the processors. This component is therefore useful in situations where an expensive set of processors need only be executed periodically.',
  config: f.object('', [
    f.string('cache', { description: 'The cache resource to read and write processor results from.' }),
    f.bloblang('skip_on', { optional: true, description: 'A condition that can be used to skip caching the results from the processors.' }),
    f.interp('key', {
      description:
        'A key to be resolved for each message, if the key already exists in the cache then the cached result is used, otherwise the processors are applied and the result is cached under this key.',
    }),
    f.interp('ttl', { optional: true, description: 'An optional expiry period to set for each cache entry. Some caches only have a general TTL and will therefore ignore this setting.' }),
    f.array(f.component('processors', 'processor', { description: 'The list of processors whose result will be cached.' })),
  ]),
  examples: [
    {
      title: 'Cached enrichment',
      config: `pipeline:
  processors:
    - cached:
        key: '\${! this.id }'
        cache: foo_cache
        ttl: 10m
        processors:
          - mapping: 'root = this.id + "-enriched"'
cache_resources:
  - label: foo_cache
    memory: {}
`,
      input: ['{"id":"a"}', '{"id":"a","other":true}'],
      output: ['a-enriched', 'a-enriched'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    if (!ctx.resources.hasCache(c.cache)) throw invalid('cache', `cache named ${c.cache} not found`)
    const key = atField('key', () => compileInterpolation(c.key, { configDir: ctx.configDir }))
    const ttl = c.ttl !== undefined ? atField('ttl', () => compileInterpolation(c.ttl!, { configDir: ctx.configDir })) : undefined
    const skipOn = c.skip_on !== undefined ? atField('skip_on', () => compileMapping(c.skip_on!, { configDir: ctx.configDir })) : undefined
    const processors: Processor[] = []
    for (const [i, p] of c.processors.entries()) processors.push(await ctx.build('processor', p, `cached.processors[${i}]`))
    return new CachedProcessor(c.cache, key, ttl, skipOn, processors, ctx)
  },
})

class CachedProcessor implements Processor {
  readonly #flag

  constructor(
    readonly cacheName: string,
    readonly key: Interpolation,
    readonly ttl: Interpolation | undefined,
    readonly skipOn: Mapping | undefined,
    readonly processors: Processor[],
    readonly ctx: ComponentContext,
  ) {
    this.#flag = errorFlagger(ctx, 'cached')
  }

  async process(batch: Batch): Promise<Batch[]> {
    const out: Message[] = []
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!
      try {
        out.push(...(await this.#one(m)))
      } catch (err) {
        this.#flag(m, err)
        out.push(m)
      }
    }
    return out.length ? [out] : []
  }

  async #one(msg: Message): Promise<Message[]> {
    const single = [msg]
    let key: string
    try {
      key = this.key.string(single, 0)
    } catch (err) {
      throw new Error(`failed to interpolate key expression: ${errorText(err)}`)
    }
    let ttlMs: number | undefined
    if (this.ttl) {
      let text: string
      try {
        text = this.ttl.string(single, 0)
      } catch (err) {
        throw new Error(`failed to interpolate ttl expression: ${errorText(err)}`)
      }
      ttlMs = parseDuration(text)
      if (ttlMs === undefined) throw new Error(`failed to parse ttl expression: time: invalid duration "${text}"`)
    }
    const cache = this.ctx.resources.cache(this.cacheName)
    const hit = await cache.get(key)
    if (hit !== undefined) {
      try {
        return decodeResult(msg, hit)
      } catch (err) {
        throw new Error(`failed to parse cached result, this indicates the data was not set by this processor: ${errorText(err)}`)
      }
    }
    const results = await runProcessors(this.processors, [single])
    let store = true
    const collapsed: Message[] = []
    for (const b of results) {
      let skip = false
      if (this.skipOn) {
        try {
          skip = this.skipOn.queryBool(b, 0)
        } catch (err) {
          this.ctx.logger.error(`skip_on check failed: failed to execute skip_on mapping: ${errorText(err)}, caching will be skipped as a precaution`)
          skip = true
        }
      }
      store &&= !skip
      collapsed.push(...b)
    }
    if (!store) return collapsed
    try {
      await cache.set(key, encodeResult(collapsed), ttlMs)
    } catch (err) {
      // Caching is best effort: the processed messages flow on regardless.
      this.ctx.logger.error(`failed to write result to cache: ${errorText(err)}`)
    }
    return collapsed
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.processors.map((p) => p.close()))
  }
}

function encodeResult(batch: readonly Message[]): Uint8Array {
  const parts = batch.map((m) => m.bytes())
  const out = Buffer.alloc(8 + parts.reduce((n, p) => n + 4 + p.length, 0))
  out.writeUInt32BE(1, 0)
  out.writeUInt32BE(parts.length, 4)
  let off = 8
  for (const p of parts) {
    out.writeUInt32BE(p.length, off)
    out.set(p, off + 4)
    off += 4 + p.length
  }
  return out
}

function decodeResult(msg: Message, data: Uint8Array): Message[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (buf.length < 4) throw new Error('failed to extract serialization format version: message is too small to extract number')
  const version = buf.readUInt32BE(0)
  if (version !== 1) throw new Error(`invalid format version: ${version}`)
  if (buf.length < 8) throw new Error('failed to extract batch size: message is too small to extract number')
  const n = buf.readUInt32BE(4)
  const out: Message[] = []
  let off = 8
  for (let i = 0; i < n; i++) {
    if (buf.length - off < 4) throw new Error(`failed to extract message ${i} size: message is too small to extract number`)
    const size = buf.readUInt32BE(off)
    off += 4
    if (buf.length - off < size) throw new Error(`failed to extract message ${i} size: input data ended unexpectedly`)
    const copy = msg.copy()
    copy.setBytes(buf.subarray(off, off + size))
    out.push(copy)
    off += size
  }
  return out
}
