/**
 * `jmespath` processor (spec components, tier 3): runs a JMESPath query on each JSON message and
 * replaces the message with the result. The query language is the jmespath package, JMESPath's
 * own JavaScript implementation. As in the reference, numbers are read as float64 first.
 */
import jmespath from 'jmespath'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Processor } from '../../spec/index.js'
import { Float, JsonNumber, Sized, UInt64, getKey, isObject, makeFloat, newObject, setKey, type Value, type VObject } from '../../value/index.js'
import { invalid } from '../shared/field-error.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'jmespath',
  status: 'stable',
  summary: 'Executes a JMESPath query on JSON documents and replaces the message with the resulting document.',
  config: f.object('', [f.string('query', { description: 'The JMESPath query to apply to messages.' })]),
  examples: [
    {
      title: 'Mapping',
      config: `pipeline:
  processors:
    - jmespath:
        query: "locations[?state == 'WA'].name | sort(@) | {Cities: join(', ', @)}"
`,
      input: ['{"locations":[{"name":"Seattle","state":"WA"},{"name":"New York","state":"NY"},{"name":"Bellevue","state":"WA"},{"name":"Olympia","state":"WA"}]}'],
      output: ['{"Cities":"Bellevue, Olympia, Seattle"}'],
    },
  ],
  build: (c, ctx): Processor => {
    try {
      jmespath.compile(c.query)
    } catch (err) {
      throw invalid('query', `failed to compile JMESPath query: ${(err as Error).message}`)
    }
    const flag = errorFlagger(ctx, 'jmespath')
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (const m of batch) {
          try {
            m.setStructured(fromJs(jmespath.search(toJs(m.structured()), c.query)))
          } catch (err) {
            flag(m, err)
          }
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})

/**
 * A document for the query engine: numbers as doubles (the reference's float64 pass), objects
 * without a prototype so a key such as `constructor` finds nothing it was not given.
 */
function toJs(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'number') return v
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof JsonNumber) return v.float()
  if (v instanceof Float || v instanceof Sized) return v.v
  if (v instanceof UInt64) return Number(v.v)
  if (Array.isArray(v)) return v.map(toJs)
  if (isObject(v)) {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(v)) o[k] = toJs(getKey(v, k)!)
    return o
  }
  return String(v)
}

/** The query's result as a message document; every number is a float64, as in the reference. */
function fromJs(v: unknown): Value {
  if (v === null || v === undefined) return null
  if (typeof v === 'boolean' || typeof v === 'string') return v
  if (typeof v === 'number') return makeFloat(v)
  if (Array.isArray(v)) return v.map(fromJs)
  if (typeof v === 'object') {
    const o: VObject = newObject()
    for (const k of Object.keys(v)) setKey(o, k, fromJs((v as Record<string, unknown>)[k]))
    return o
  }
  return null
}
