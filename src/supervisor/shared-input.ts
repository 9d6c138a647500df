/**
 * One input resource for the whole host (issue 13): built once on the main thread and read by a
 * single pump that fetches a transaction only while some stream is waiting for one, so each
 * transaction reaches exactly one of the streams that name the resource. Acks come back from the
 * stream that got it. Replacing the resource swaps the source under the pump; readers keep waiting.
 * Its connection (the pump's, and the source's own reports) is watched for the streams reading it.
 */
import { END_OF_INPUT, type Input, type Processor, type ReadResult, type Transaction } from '../spec/index.js'
import type { Logger } from '../util/logger.js'
import { Backoff, sleep } from '../util/backoff.js'
import { splitAck } from '../util/ack.js'
import { runChain } from '../stream/processors.js'
import { ReplayingInput } from '../stream/replay.js'
import { TxExchange } from './tx-exchange.js'
import { ConnectionWatchers } from '../util/connection-watch.js'

export interface InputSource {
  input: Input
  /** The resource's own `processors`, run here before the transaction is handed on. */
  processors: Processor[]
}

export class SharedInput {
  readonly label: string
  readonly exchange: TxExchange
  readonly #log: Logger
  #source: Promise<InputSource> | undefined
  /** Aborts the pump's current connect/read (on replace and close). */
  #abort = new AbortController()
  #pumping = false
  #connected = false
  /** Until a first connect attempt there is nothing to report: streams are told "connected". */
  #tried = false
  /** The source the pump last obtained, whose own connection reports are followed. */
  #current: InputSource | undefined
  readonly #watchers = new ConnectionWatchers()
  #closed = false

  /** Builds the source from the resource's current config (first use, and after a failed build). */
  readonly #build: () => Promise<InputSource>
  /** The error text for a failed build (names the streams waiting on it). */
  readonly #describe: (err: unknown) => string

  constructor(label: string, log: Logger, build: () => Promise<InputSource>, describe: (err: unknown) => string) {
    this.label = label
    this.#log = log
    this.#build = build
    this.#describe = describe
    this.exchange = new TxExchange(() => void this.#pump())
  }

  /** What streams reading the resource report as their input's connection. */
  get connected(): boolean {
    if (!this.#tried) return true
    return this.#connected && this.#current?.input.connected() === true
  }

  /** Calls `onChange` whenever `connected` may have changed, until the returned function is called. */
  watch(onChange: () => void): () => void {
    return this.#watchers.add(onChange)
  }

  /** Install a built source (a replacement); returns the previous one for closing. */
  setSource(next: Promise<InputSource>): Promise<InputSource> | undefined {
    const prev = this.#source
    this.#source = wrap(next)
    this.#setConnected(false)
    this.exchange.reopen()
    this.#abort.abort()
    this.#abort = new AbortController()
    return prev
  }

  read(signal: AbortSignal): Promise<ReadResult> {
    return this.exchange.read(signal)
  }

  /** Ends every reader and closes the source; never rejects. */
  async close(): Promise<void> {
    this.#closed = true
    this.#abort.abort()
    this.exchange.end()
    const s = await this.#source?.catch(() => undefined)
    if (s) await Promise.allSettled([s.input.close(), ...s.processors.map((p) => p.close())])
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return
    this.#pumping = true
    const backoff = new Backoff(100, 5000)
    try {
      while (this.exchange.demand > 0 && !this.#closed) {
        const abort = this.#abort
        let source: InputSource
        const pending = (this.#source ??= wrap(this.#build()))
        try {
          source = await pending
        } catch (err) {
          // Built again on the next round: a resource file or API fix may have replaced it meanwhile.
          if (this.#source === pending) this.#source = undefined
          this.#setConnected(false)
          this.#log.error(`Failed to obtain input resource '${this.label}': ${this.#describe(err)}`)
          if (!(await sleep(1000, abort.signal)) && this.#closed) return
          continue
        }
        this.#follow(source)
        try {
          if (!this.#connected) {
            await source.input.connect(abort.signal)
            this.#setConnected(true)
            backoff.reset()
          }
          const r = await source.input.read(abort.signal)
          if (r === END_OF_INPUT) {
            this.exchange.end()
            return
          }
          await this.#deliver(source, r)
        } catch (err) {
          if (abort.signal.aborted) continue
          this.#setConnected(false)
          this.#log.error(`Input resource '${this.label}' failed: ${err instanceof Error ? err.message : String(err)}`)
          await sleep(backoff.next(), abort.signal)
        }
      }
    } finally {
      this.#pumping = false
    }
  }

  #setConnected(up: boolean): void {
    const was = this.connected
    this.#connected = up
    this.#tried = true
    if (this.connected !== was) this.#watchers.notify()
  }

  /** Follows the connection reports of `source` while it is the one the pump reads. */
  #follow(source: InputSource): void {
    if (this.#current === source) return
    this.#current = source
    this.#watchers.follow(source.input, () => this.#current === source)
  }

  async #deliver(source: InputSource, tx: Transaction): Promise<void> {
    if (source.processors.length === 0) return this.exchange.offer(tx)
    const batches = await runChain(source.processors, tx.batch)
    if (batches.length === 0) return tx.ack()
    const acks = splitAck(batches.length, (err) => tx.ack(err))
    batches.forEach((batch, i) => this.exchange.offer({ batch, ack: acks[i]! }))
  }
}

function wrap(p: Promise<InputSource>): Promise<InputSource> {
  const w = p.then((s) => ({ input: s.input.replayNacks ? new ReplayingInput(s.input) : s.input, processors: s.processors }))
  // Awaited by the pump, which reports the failure; no rejection may go unobserved on the main thread.
  w.catch(() => undefined)
  return w
}
