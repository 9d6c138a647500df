/**
 * `metric` processor (spec components §9.2): per message, updates a custom metric (with the
 * component's label/path labels, plus interpolated `labels` sorted by name) from the interpolated
 * `value`. Bad values are logged and skipped; messages pass unchanged.
 */
import { compileInterpolation, type Interpolation } from '../../bloblang/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { atField, fieldError, invalid } from '../shared/field-error.js'
import { errorText } from '../shared/error-text.js'

const TYPES = ['counter', 'counter_by', 'gauge', 'timing'] as const

export default defineComponent({
  kind: 'processor',
  name: 'metric',
  status: 'stable',
  summary: 'Emit custom metrics by extracting values from messages.',
  config: f.object('', [
    f.string('type', { options: TYPES, description: 'The metric type to create.' }),
    f.string('name', { description: 'The name of the metric to create, this must be unique across all Redpanda Connect components otherwise it will overwrite those other metrics.' }),
    f.map(f.interp('labels', { optional: true, description: 'A map of label names and values that can be used to enrich metrics. Labels are not supported by some metric destinations, in which case the metrics series are combined.' })),
    f.interp('value', { default: '', description: 'For some metric types specifies a value to set, increment. Certain metrics exporters such as Prometheus support floating point values, but those that do not will cast a floating point value into an integer.' }),
  ]),
  examples: [
    {
      title: 'Counter',
      config: `pipeline:
  processors:
    - metric:
        type: counter_by
        name: Foos
        value: '\${! this.count }'
        labels:
          topic: '\${! meta("topic") }'
`,
      input: ['{"count":3}'],
      output: ['{"count":3}'],
    },
  ],
  build: (c, ctx): Processor => {
    const value = atField('value', () => compileInterpolation(c.value, { configDir: ctx.configDir }))
    if (c.name === '') throw invalid('name', 'metric name must not be empty')
    const labelNames = Object.keys(c.labels ?? {}).sort()
    const labels = labelNames.map((n) => {
      try {
        return compileInterpolation(String(c.labels[n]), { configDir: ctx.configDir })
      } catch (err) {
        throw fieldError(`labels.${n}`, new Error(`failed to parse label '${n}' expression: ${errorText(err)}`))
      }
    })
    const handler = handlerFor(c.type.toLowerCase(), c.name, labelNames, ctx)
    if (!handler) throw invalid('type', `metric type unrecognised: ${c.type}`)
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (let i = 0; i < batch.length; i++) {
          let v: string
          try {
            v = value.string(batch, i)
          } catch (err) {
            ctx.logger.error(`Value interpolation error: ${errorText(err)}`)
            continue
          }
          try {
            handler(v, labelValues(labels, batch, i))
          } catch (err) {
            ctx.logger.error(`Handler error: ${errorText(err)}`)
          }
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})

function labelValues(labels: readonly Interpolation[], batch: Batch, i: number): string[] {
  return labels.map((l) => l.string(batch, i))
}

type Handler = (value: string, labelValues: string[]) => void

function handlerFor(type: string, name: string, labelNames: string[], ctx: ComponentContext): Handler | undefined {
  switch (type) {
    case 'counter': {
      const m = ctx.metrics.counter(name, labelNames)
      return (_v, lv) => m.inc(1, lv)
    }
    case 'counter_by': {
      const m = ctx.metrics.counter(name, labelNames)
      return (v, lv) => m.inc(nonNegative(v), lv)
    }
    case 'gauge': {
      const m = ctx.metrics.gauge(name, labelNames)
      return (v, lv) => m.set(nonNegative(v), lv)
    }
    case 'timing': {
      const m = ctx.metrics.timer(name, labelNames)
      return (v, lv) => {
        if (!/^[+-]?\d+$/.test(v)) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`)
        const n = Number(v)
        if (n < 0) throw new Error('value is negative')
        m.observe(n, lv)
      }
    }
    default:
      return undefined
  }
}

/** Go's `withNumberStr`: an integer, else a float (`strconv.ParseFloat` syntax); negatives refused. */
function nonNegative(v: string): number {
  if (/^[+-]?\d+$/.test(v)) {
    const n = Number(v)
    if (n < 0) throw new Error(`value ${n} is negative`)
    return n
  }
  let n: number
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) n = Number(v)
  else if (/^[+-]?inf(inity)?$/i.test(v)) n = v.startsWith('-') ? -Infinity : Infinity
  else if (/^nan$/i.test(v)) n = NaN
  else throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`)
  if (n < 0) throw new Error(`value ${n.toFixed(6)} is negative`)
  return n
}
