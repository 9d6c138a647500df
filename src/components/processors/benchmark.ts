/**
 * `benchmark` processor (spec components §9.2): counts messages (and bytes) passing through, logs
 * rolling throughput every `interval` and a lifetime summary on close, and exports the
 * `benchmark_*` gauges and counters.
 */
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { durationField } from '../shared/durations.js'

export default defineComponent({
  kind: 'processor',
  name: 'benchmark',
  status: 'stable',
  summary: 'Logs basic throughput statistics of messages that pass through this processor.',
  config: f.object('', [
    f.duration('interval', { default: '5s', description: 'How often to emit rolling statistics. If set to 0, only a summary will be logged when the processor shuts down.' }),
    f.bool('count_bytes', {
      default: true,
      description: 'Whether or not to measure the number of bytes per second of throughput. Counting the number of bytes requires serializing structured data, which can cause an unnecessary performance hit if serialization is not required elsewhere in the pipeline.',
    }),
  ]),
  examples: [
    {
      title: 'Throughput',
      config: `pipeline:
  processors:
    - benchmark:
        interval: 1s
`,
      input: ['x'],
      output: ['x'],
    },
  ],
  build: (c, ctx): Processor => new Benchmark(durationField('interval', c.interval), c.count_bytes, ctx),
})

class Benchmark implements Processor {
  readonly synchronous = true
  readonly #start = performance.now()
  readonly #countBytes: boolean
  readonly #ctx: ComponentContext
  readonly #timer: NodeJS.Timeout | undefined
  readonly #m
  #rolling = { msgs: 0, bytes: 0 }
  #total = { msgs: 0, bytes: 0 }
  #closed = false

  constructor(intervalMs: number, countBytes: boolean, ctx: ComponentContext) {
    this.#countBytes = countBytes
    this.#ctx = ctx
    this.#m = {
      msgPerSec: ctx.metrics.gauge('benchmark_messages_per_second'),
      totalMsgs: ctx.metrics.counter('benchmark_messages_total'),
      bytesPerSec: ctx.metrics.gauge('benchmark_bytes_per_second'),
      totalBytes: ctx.metrics.counter('benchmark_bytes_total'),
    }
    if (intervalMs > 0) {
      this.#timer = setInterval(() => {
        const s = this.#rolling
        this.#rolling = { msgs: 0, bytes: 0 }
        this.#print('rolling', s, intervalMs / 1000)
      }, intervalMs)
      this.#timer.unref()
    }
  }

  process(batch: Batch): Batch[] {
    for (const m of batch) {
      const bytes = this.#countBytes ? m.bytes().length : 0
      this.#rolling.msgs++
      this.#total.msgs++
      this.#rolling.bytes += bytes
      this.#total.bytes += bytes
      this.#m.totalMsgs.inc(1)
      this.#m.totalBytes.inc(bytes)
    }
    return [batch]
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#timer) clearInterval(this.#timer)
    this.#print('total', this.#total, (performance.now() - this.#start) / 1000)
  }

  #print(window: string, s: { msgs: number; bytes: number }, secs: number): void {
    const msgsPerSec = s.msgs / secs
    const bytesPerSec = s.bytes / secs
    this.#m.msgPerSec.set(msgsPerSec)
    this.#m.bytesPerSec.set(bytesPerSec)
    if (this.#countBytes) {
      this.#ctx.logger.info(`${window} stats: ${ftoa(msgsPerSec)} msg/sec, ${humanBytes(bytesPerSec)}/sec`, { 'msg/sec': msgsPerSec, 'bytes/sec': bytesPerSec })
    } else {
      this.#ctx.logger.info(`${window} stats: ${ftoa(msgsPerSec)} msg/sec`, { 'msg/sec': msgsPerSec })
    }
  }
}

/** go-humanize `Ftoa`: six decimals with trailing zeros (and a bare point) removed. */
export function ftoa(n: number): string {
  const s = n.toFixed(6)
  return s.replace(/0+$/, '').replace(/\.$/, '')
}

/** go-humanize `Bytes`: SI units, one decimal below 10 (`1.2 kB`), none above (`83 MB`). */
export function humanBytes(n: number): string {
  const v = Math.floor(n)
  if (v < 10) return `${v} B`
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  const e = Math.floor(Math.log(v) / Math.log(1000))
  const val = Math.floor((v / 1000 ** e) * 10 + 0.5) / 10
  return val < 10 ? `${val.toFixed(1)} ${units[e]}` : `${val.toFixed(0)} ${units[e]}`
}
