/**
 * Batch policies (spec components §3): messages accumulate until `count`, `byte_size` or `check`
 * triggers (or `period` passes since the last flush); a flush runs the policy's processors and
 * yields one batch. A policy with nothing to do is a no-op and no batcher is created.
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import type { Batch, Message } from '../../message/message.js'
import { f, type ComponentContext, type ObjectOf, type Processor } from '../../spec/index.js'
import { atField, invalid } from './field-error.js'
import { durationField } from './durations.js'

/** The policy fields (without `enabled`, which only the memory buffer has). */
export const batchPolicyFields = [
  f.int('count', { default: 0, description: 'A number of messages at which the batch should be flushed. If `0` disables count based batching.' }),
  f.int('byte_size', { default: 0, description: 'An amount of bytes at which the batch should be flushed. If `0` disables size based batching.' }),
  f.string('period', { default: '', description: 'A period in which an incomplete batch should be flushed regardless of its size.' }),
  f.bloblang('check', { default: '', description: 'A Bloblang query that should return a boolean value indicating whether a message should end a batch.' }),
  f.array(f.component('processors', 'processor', { optional: true, advanced: true, description: 'A list of processors to apply to a batch as it is flushed.' })),
] as const

export type BatchPolicyConf = ObjectOf<typeof batchPolicyFields>

/** The `batching` field of an output or input (spec §3.1). */
export const batchingField = f.object('batching', batchPolicyFields, { description: 'Allows you to configure a batching policy.' })

export function isNoopPolicy(c: BatchPolicyConf): boolean {
  return c.byte_size <= 0 && c.count <= 1 && c.check === '' && c.period === '' && c.processors.length === 0
}

export class Batcher {
  readonly periodMs: number | undefined
  readonly #count: number
  readonly #byteSize: number
  readonly #check: Mapping | undefined
  readonly #processors: Processor[]
  readonly #created
  readonly #ctx: ComponentContext
  #pending: Message[] = []
  #bytes = 0
  #lastFlush = performance.now()

  private constructor(c: BatchPolicyConf, check: Mapping | undefined, periodMs: number | undefined, processors: Processor[], ctx: ComponentContext) {
    this.#count = c.count
    this.#byteSize = c.byte_size
    this.#check = check
    this.periodMs = periodMs
    this.#processors = processors
    this.#ctx = ctx
    this.#created = ctx.metrics.counter('batch_created', ['mechanism'])
  }

  /** `field` is the policy's path inside the component config (`memory.batch_policy`). */
  static async create(c: BatchPolicyConf, ctx: ComponentContext, field: string, rel: string): Promise<Batcher> {
    const periodMs = c.period !== '' ? durationField(`${rel}.period`, c.period) : undefined
    if (c.count <= 0 && c.byte_size <= 0 && periodMs === undefined && c.check === '') {
      throw invalid(rel, 'batch policy must have at least one active trigger')
    }
    const check = c.check !== '' ? atField(`${rel}.check`, () => compileMapping(c.check, { configDir: ctx.configDir })) : undefined
    if (check && c.count <= 0 && c.byte_size <= 0 && periodMs === undefined) {
      ctx.logger.warn('Batch policy should have at least one of count, period or byte_size set in order to provide a hard batch ceiling.')
    }
    const processors: Processor[] = []
    for (const [i, p] of c.processors.entries()) processors.push(await ctx.build('processor', p, `${field}.processors[${i}]`))
    return new Batcher(c, check, periodMs, processors, ctx)
  }

  get size(): number {
    return this.#pending.length
  }

  /** Adds a message; true when a size/count/check trigger fired. */
  add(msg: Message): boolean {
    this.#pending.push(msg)
    this.#bytes += msg.bytes().length
    if (this.#count > 0 && this.#pending.length >= this.#count) return this.#trigger('count')
    if (this.#byteSize > 0 && this.#bytes >= this.#byteSize) return this.#trigger('size')
    if (this.#check) {
      let hit = false
      try {
        hit = this.#check.queryBool(this.#pending, this.#pending.length - 1)
      } catch (err) {
        this.#ctx.logger.error(`Failed to execute batch check query: ${err instanceof Error ? err.message : String(err)}`)
      }
      if (hit) return this.#trigger('check')
    }
    return false
  }

  /** Drops the pending messages (their owner re-queues them elsewhere). */
  discard(): void {
    this.#pending = []
    this.#bytes = 0
  }

  /** Milliseconds until the period trigger (Infinity without a period). */
  untilPeriod(): number {
    if (this.periodMs === undefined) return Infinity
    return this.#lastFlush + this.periodMs - performance.now()
  }

  /** Marks a period-triggered flush (for `batch_created{mechanism="period"}`). */
  periodDue(): boolean {
    if (this.untilPeriod() > 0 || this.#pending.length === 0) return false
    return this.#trigger('period')
  }

  /** Takes the pending messages through the policy processors (all results in one batch). */
  async flush(): Promise<Batch> {
    let batch = this.#pending
    this.#pending = []
    this.#bytes = 0
    this.#lastFlush = performance.now()
    if (batch.length === 0 || this.#processors.length === 0) return batch
    for (const p of this.#processors) {
      const out: Message[] = []
      for (const b of await p.process(batch)) out.push(...b)
      batch = out
      if (batch.length === 0) break
    }
    return batch
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.#processors.map((p) => p.close()))
  }

  #trigger(mechanism: string): true {
    this.#created.inc(1, [mechanism])
    return true
  }
}
