/**
 * A nested output (broker child, switch case, the output a wrapper guards): its own processors run
 * before it, it connects on its own with back-off (a child that is down blocks only the writes
 * routed to it, as the reference's children each run their own connect loop), a lost connection
 * reconnects and retries the same batch, and writes are held to the child's `max_in_flight`. Its
 * watchers hear of its own connects and losses as well as of the inner output's.
 */
import type { Batch } from '../../message/message.js'
import { isNotConnected, type ComponentContext, type Logger, type Output, type Processor } from '../../spec/index.js'
import { Backoff, sleep } from '../../util/backoff.js'
import { abortError } from '../../util/channel.js'
import { splitProcessors } from './child-config.js'
import { buildChildren } from './child-processors.js'
import { runProcessors } from './run-processors.js'
import { Semaphore } from '../../util/semaphore.js'
import { errorText } from './batch-error.js'
import { ConnectionWatchers } from '../../util/connection-watch.js'

export class ChildOutput implements Output {
  readonly maxInFlight: number
  readonly #inner: Output
  readonly #processors: Processor[]
  readonly #logger: Logger
  readonly #name: string
  readonly #slots: Semaphore
  readonly #watchers = new ConnectionWatchers()
  #connected = false
  #connecting: Promise<void> | undefined
  #closing: Promise<void> | undefined

  constructor(inner: Output, processors: Processor[], name: string, logger: Logger) {
    this.#inner = inner
    this.#processors = processors
    this.#name = name
    this.#logger = logger
    this.maxInFlight = Math.max(1, inner.maxInFlight)
    this.#slots = new Semaphore(this.maxInFlight)
    this.#watchers.follow(inner)
  }

  /** Starts connecting in the background; writes wait for the connection. */
  async connect(signal: AbortSignal): Promise<void> {
    void this.#ensureConnected(signal).catch(() => {})
  }

  connected(): boolean {
    return this.#connected && this.#inner.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#watchers.add(onChange)
  }

  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    const batches = this.#processors.length ? await runProcessors(this.#processors, [batch]) : [batch]
    for (const b of batches) await this.#writeOne(b, signal)
  }

  endOfInput(): void {
    this.#inner.endOfInput?.()
  }

  close(): Promise<void> {
    this.#closing ??= Promise.allSettled([this.#inner.close(), ...this.#processors.map((p) => p.close())]).then(() => {})
    return this.#closing
  }

  async #writeOne(batch: Batch, signal: AbortSignal): Promise<void> {
    await this.#slots.acquire(signal)
    try {
      for (;;) {
        await this.#ensureConnected(signal)
        try {
          await this.#inner.write(batch, signal)
          return
        } catch (err) {
          if (!isNotConnected(err) || signal.aborted) throw err
          this.#setConnected(false)
          this.#logger.warn(`Lost connection to ${this.#name}: ${errorText(err)}`)
        }
      }
    } finally {
      this.#slots.release()
    }
  }

  #setConnected(up: boolean): void {
    if (this.#connected === up) return
    this.#connected = up
    this.#watchers.notify()
  }

  #ensureConnected(signal: AbortSignal): Promise<void> {
    if (this.#connected) return Promise.resolve()
    this.#connecting ??= this.#connectLoop(signal).finally(() => (this.#connecting = undefined))
    return this.#connecting
  }

  async #connectLoop(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(500, 1000)
    for (;;) {
      if (signal.aborted) throw abortError(signal)
      try {
        await this.#inner.connect(signal)
        this.#setConnected(true)
        return
      } catch (err) {
        if (signal.aborted) throw abortError(signal)
        this.#logger.error(`Failed to connect to ${this.#name}: ${errorText(err)}`)
        if (!(await sleep(backoff.next(), signal))) throw abortError(signal)
      }
    }
  }
}

/** Builds the output at `rel` (`broker.outputs[1]`) with its own processors. */
export async function buildChildOutput(ctx: ComponentContext, raw: unknown, rel: string): Promise<ChildOutput> {
  const { component, processors } = splitProcessors(raw)
  const inner = await ctx.build('output', component, rel)
  const procs = await buildChildren(ctx, `${rel}.processors`, processors)
  return new ChildOutput(inner, procs, rel, ctx.logger)
}

/** Connects every child in the background (the parent is ready at once). */
export function connectAll(children: readonly Output[], signal: AbortSignal): Promise<void> {
  return Promise.all(children.map((c) => c.connect(signal))).then(() => {})
}

export function closeAll(children: readonly Output[]): Promise<void> {
  return Promise.allSettled(children.map((c) => c.close())).then(() => {})
}
