/**
 * A nested input (broker child, sequence step, the input `read_until`/`batched` wrap): its own
 * processors run on what it reads before the parent sees it (child first, then parent-level, as
 * spec components §2.1 orders them), it connects and reconnects on its own with back-off, a read
 * error is logged and retried, and a child that replays nacks (generate) replays them itself.
 * Its watchers hear of its own connects and losses as well as of the inner input's.
 */
import type { Batch } from '../../message/message.js'
import { END_OF_INPUT, isNotConnected, type ComponentContext, type Input, type Logger, type Processor, type ReadResult, type Transaction } from '../../spec/index.js'
import { ReplayingInput } from '../../stream/replay.js'
import { Backoff, sleep } from '../../util/backoff.js'
import { splitAck } from '../../util/ack.js'
import { abortError } from '../../util/channel.js'
import { splitProcessors } from './child-config.js'
import { buildChildren } from './child-processors.js'
import { runProcessors } from './run-processors.js'
import { asError, errorText } from './batch-error.js'
import { ConnectionWatchers } from '../../util/connection-watch.js'

export class ChildInput implements Input {
  /**
   * Resolves once the child's source has no new data, even while a replaying child still holds
   * back its end for unacknowledged messages: a batcher above must then flush what it holds, or
   * those messages are never acked and the end never comes.
   */
  readonly sourceEnded: Promise<void>
  readonly #inner: Input
  readonly #processors: Processor[]
  readonly #name: string
  readonly #logger: Logger
  /** Further batches a processor split one read into, with their part-acks. */
  readonly #queued: Transaction[] = []
  readonly #watchers = new ConnectionWatchers()
  #connected = false
  #closing: Promise<void> | undefined

  constructor(inner: Input, processors: Processor[], name: string, logger: Logger) {
    let ended!: () => void
    this.sourceEnded = new Promise((resolve) => (ended = resolve))
    this.#inner = inner.replayNacks ? new ReplayingInput(watchEnd(inner, ended)) : watchEnd(inner, ended)
    this.#processors = processors
    this.#name = name
    this.#logger = logger
    this.#watchers.follow(this.#inner)
  }

  async connect(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(100, 1000)
    while (!this.#connected) {
      if (signal.aborted) throw abortError(signal)
      try {
        await this.#inner.connect(signal)
        this.#setConnected(true)
      } catch (err) {
        if (signal.aborted) throw abortError(signal)
        this.#logger.error(`Failed to connect to ${this.#name}: ${errorText(err)}`)
        if (!(await sleep(backoff.next(), signal))) throw abortError(signal)
      }
    }
  }

  connected(): boolean {
    return this.#connected && this.#inner.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#watchers.add(onChange)
  }

  /** The next transaction after the child's processors; END_OF_INPUT once the child has ended. */
  async read(signal: AbortSignal): Promise<ReadResult> {
    const queued = this.#queued.shift()
    if (queued) return queued
    const backoff = new Backoff(100, 1000)
    for (;;) {
      await this.connect(signal)
      let r: ReadResult
      try {
        r = await this.#inner.read(signal)
      } catch (err) {
        if (signal.aborted) throw abortError(signal)
        if (isNotConnected(err)) {
          this.#setConnected(false)
          continue
        }
        this.#logger.error(`Failed to read message: ${errorText(err)}`)
        if (!(await sleep(backoff.next(), signal))) throw abortError(signal)
        continue
      }
      if (r === END_OF_INPUT) return r
      backoff.reset()
      const tx = await this.#process(r)
      if (tx) return tx
    }
  }

  close(): Promise<void> {
    this.#closing ??= Promise.allSettled([this.#inner.close(), ...this.#processors.map((p) => p.close())]).then(() => {})
    return this.#closing
  }

  #setConnected(up: boolean): void {
    if (this.#connected === up) return
    this.#connected = up
    this.#watchers.notify()
  }

  /** Runs the child's processors; undefined when they filtered everything (acked). */
  async #process(tx: Transaction): Promise<Transaction | undefined> {
    if (this.#processors.length === 0) return tx
    let batches: Batch[]
    try {
      batches = await runProcessors(this.#processors, [tx.batch])
    } catch (err) {
      tx.ack(asError(err))
      return undefined
    }
    if (batches.length === 0) {
      tx.ack()
      return undefined
    }
    const acks = splitAck(batches.length, (err) => tx.ack(err))
    for (let i = 1; i < batches.length; i++) this.#queued.push({ batch: batches[i]!, ack: acks[i]! })
    return { batch: batches[0]!, ack: acks[0]! }
  }
}

/** `inner` with `onEnd` called when a read reports END_OF_INPUT. */
function watchEnd(inner: Input, onEnd: () => void): Input {
  return {
    connect: (signal) => inner.connect(signal),
    connected: () => inner.connected(),
    ...(inner.watchConnection ? { watchConnection: (fn: () => void) => inner.watchConnection!(fn) } : {}),
    close: () => inner.close(),
    read: async (signal) => {
      const r = await inner.read(signal)
      if (r === END_OF_INPUT) onEnd()
      return r
    },
  }
}

/** Builds the input at `rel` (`broker.inputs[0]`) with its own processors. */
export async function buildChildInput(ctx: ComponentContext, raw: unknown, rel: string): Promise<ChildInput> {
  const { component, processors } = splitProcessors(raw)
  const inner = await ctx.build('input', component, rel)
  const procs = await buildChildren(ctx, `${rel}.processors`, processors)
  return new ChildInput(inner, procs, rel, ctx.logger)
}
