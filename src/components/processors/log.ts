/**
 * `log` processor (spec components §6.4): one log line per message at the configured level, with
 * an interpolated message and structured fields from `fields_mapping` (keys sorted) and the
 * deprecated `fields`; lines carry `custom_source=true`. Messages are never modified.
 */
import { compileInterpolation, compileMapping, type Mapping } from '../../bloblang/index.js'
import { toJson } from '../../value/index.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Logger, Processor } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'


const LEVELS = ['ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'] as const

export default defineComponent({
  kind: 'processor',
  name: 'log',
  status: 'stable',
  summary: 'Prints a log event for each message. Messages always remain unchanged.',
  config: f.object('', [
    f.string('level', { default: 'INFO', options: LEVELS, description: 'The log level to use.' }),
    f.bloblang('fields_mapping', { optional: true, description: 'An optional Bloblang mapping that can be used to specify extra fields to add to the log.' }),
    f.interp('message', { default: '', description: 'The message to print.' }),
    f.map(f.interp('fields', { optional: true, deprecated: true, description: 'A map of fields to print along with the log message.' })),
  ]),
  examples: [
    {
      title: 'Structured fields',
      config: `pipeline:
  processors:
    - log:
        level: DEBUG
        message: hello world
        fields_mapping: |
          root.reason = "cus I wana"
          root.id = this.id
`,
      // The log line is a side effect; the message passes through unchanged.
      input: ['{"id":"a1","text":"hi"}'],
      output: ['{"id":"a1","text":"hi"}'],
    },
  ],
  build: (c, ctx): Processor => {
    const level = c.level.toUpperCase()
    if (!(LEVELS as readonly string[]).includes(level)) throw invalid('level', `log level not recognised: ${level}`)
    const message = atField('message', () => compileInterpolation(c.message))
    const fields = Object.entries(c.fields ?? {}).map(([k, v]) => [k, atField(`fields.${k}`, () => compileInterpolation(String(v)))] as const)
    const fieldsMapping: Mapping | undefined =
      c.fields_mapping !== undefined && c.fields_mapping !== '' ? atField('fields_mapping', () => compileMapping(c.fields_mapping!, { configDir: ctx.configDir })) : undefined
    const logger = ctx.logger.child({ custom_source: true })
    const print = printer(logger, level)
    return {
      synchronous: true,
      process(batch: Batch): Batch[] {
        for (let i = 0; i < batch.length; i++) {
          const extra: Record<string, unknown> = {}
          if (fieldsMapping) {
            let obj: unknown
            try {
              const m = fieldsMapping.execMapping(batch, i)
              obj = m === undefined ? undefined : m.structured()
            } catch (err) {
              logger.error(`Failed to execute fields mapping: ${err instanceof Error ? err.message : String(err)}`)
              continue
            }
            if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || obj instanceof Uint8Array) {
              logger.error(`Fields mapping yielded a non-object result: ${describe(obj)}`)
              continue
            }
            for (const k of Object.keys(obj).sort()) extra[k] = plain((obj as Record<string, unknown>)[k])
          }
          let failed = false
          for (const [k, interp] of fields) {
            try {
              extra[k] = interp.string(batch, i)
            } catch (err) {
              logger.error(`Field ${k} interpolation error: ${err instanceof Error ? err.message : String(err)}`)
              failed = true
              break
            }
          }
          if (failed) continue
          let text: string
          try {
            text = message.string(batch, i)
          } catch (err) {
            logger.error(`Message interpolation error: ${err instanceof Error ? err.message : String(err)}`)
            continue
          }
          print(text, extra)
        }
        return [batch]
      },
      close: async () => {},
    }
  },
})

function printer(logger: Logger, level: string): (msg: string, fields: Record<string, unknown>) => void {
  switch (level) {
    case 'ERROR':
      return (m, x) => logger.error(m, x)
    case 'WARN':
      return (m, x) => logger.warn(m, x)
    case 'DEBUG':
      return (m, x) => logger.debug(m, x)
    case 'TRACE':
      return (m, x) => logger.trace(m, x)
    default:
      return (m, x) => logger.info(m, x)
  }
}

/** A Bloblang value as plain JSON data for the logger (numbers, strings, nested objects). */
function plain(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v
  try {
    return JSON.parse(toJson(v as Parameters<typeof toJson>[0])) as unknown
  } catch {
    return String(v)
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nil'
  if (v === null) return '<nil>'
  if (Array.isArray(v)) return '[]interface {}'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  return typeof v === 'number' ? 'float64' : typeof v
}
