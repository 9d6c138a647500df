/**
 * The output layer (spec §13.4): `max_in_flight` writers take transactions, write them and ack
 * with the result. A `NotConnectedError` from a write triggers a reconnect (500 ms → 1 s back-off)
 * and the same batch is retried; any other error is counted, logged and nacked upstream. When
 * upstream closes and every writer is idle the output is closed.
 */
import type { Logger, MetricsView, Output, Transaction } from '../spec/index.js'
import { isNotConnected } from '../spec/index.js'
import { Backoff, sleep } from '../util/backoff.js'
import { CLOSED, type Rendezvous } from '../util/channel.js'
import { asError, message } from './input-layer.js'
import type { TapBoard } from './taps.js'

export interface OutputLayerOptions {
  output: Output
  name: string
  in: Rendezvous<Transaction>
  metrics: MetricsView
  logger: Logger
  hard: AbortSignal
  /** Called when the connection state changes. */
  onStatus?: () => void
  /** Tap point `output` is this board's last slot. */
  taps: TapBoard
}

export class OutputLayer {
  readonly #o: OutputLayerOptions
  readonly #sent
  readonly #batchSent
  readonly #errors
  readonly #latency
  readonly #connUp
  readonly #connFailed
  readonly #connLost
  readonly #taps: TapBoard
  readonly #tapSlot: number
  #busy = 0
  #connected = false
  #connecting: Promise<boolean> | undefined
  #lastError: string | undefined
  #ended = false

  constructor(o: OutputLayerOptions) {
    this.#o = o
    const m = o.metrics
    this.#sent = m.counter('output_sent')
    this.#batchSent = m.counter('output_batch_sent')
    this.#errors = m.counter('output_error')
    this.#latency = m.timer('output_latency_ns')
    this.#connUp = m.counter('output_connection_up')
    this.#connFailed = m.counter('output_connection_failed')
    this.#connLost = m.counter('output_connection_lost')
    this.#taps = o.taps
    this.#tapSlot = o.taps.outputSlot
    o.output.watchConnection?.(() => this.#o.onStatus?.())
  }

  get busy(): number {
    return this.#busy
  }

  get connected(): boolean {
    return this.#connected && this.#o.output.connected()
  }

  get lastError(): string | undefined {
    return this.#lastError
  }

  async run(): Promise<void> {
    void this.#ensureConnected()
    const writers: Promise<void>[] = []
    for (let i = 0; i < Math.max(1, this.#o.output.maxInFlight); i++) writers.push(this.#writer())
    await Promise.all(writers)
    try {
      await this.#o.output.close()
    } catch (err) {
      this.#o.logger.error(`Failed to close output: ${message(err)}`)
    }
  }

  async #writer(): Promise<void> {
    for (;;) {
      let tx
      try {
        tx = await this.#o.in.take()
      } catch {
        return
      }
      if (tx === CLOSED) {
        this.#endOfInput()
        return
      }
      this.#busy++
      try {
        await this.#write(tx)
      } finally {
        this.#busy--
      }
    }
  }

  async #write(tx: Transaction, tap = true): Promise<void> {
    const { output, hard } = this.#o
    if (tap && this.#taps.on[this.#tapSlot] === 1) this.#taps.offer(this.#tapSlot, tx.batch)
    for (;;) {
      if (!this.#connected && !(await this.#ensureConnected())) {
        tx.ack(new Error('output closed before the message could be delivered'))
        return
      }
      const started = performance.now()
      try {
        await output.write(tx.batch, hard)
      } catch (err) {
        if (isNotConnected(err) && !hard.aborted) {
          this.#lost(err)
          continue
        }
        this.#errors.inc()
        if (!hard.aborted) this.#logFailure(err)
        tx.ack(asError(err))
        return
      }
      this.#delivered(tx, started)
      return
    }
  }

  /**
   * The direct lanes: a synchronous write of `tx`, acked before returning, with the metrics and
   * logs of a layer write. Only for outputs with `writeSync` that are connected. A connection
   * found lost meanwhile is handled as a layer write handles it: counted, reported, and `tx`
   * written once the output is back (asynchronously; the lanes close until then), not nacked.
   */
  direct(tx: Transaction): void {
    if (this.#taps.on[this.#tapSlot] === 1) this.#taps.offer(this.#tapSlot, tx.batch)
    const started = performance.now()
    try {
      this.#o.output.writeSync!(tx.batch)
    } catch (err) {
      if (isNotConnected(err) && !this.#o.hard.aborted) {
        this.#lost(err)
        void this.#writeLater(tx)
        return
      }
      this.#errors.inc()
      this.#logFailure(err)
      tx.ack(asError(err))
      return
    }
    this.#delivered(tx, started)
  }

  async #writeLater(tx: Transaction): Promise<void> {
    this.#busy++
    try {
      await this.#write(tx, false)
    } finally {
      this.#busy--
    }
  }

  #lost(err: unknown): void {
    this.#connLost.inc()
    this.#connected = false
    this.#lastError = message(err)
    this.#o.onStatus?.()
  }

  /** A `reject` output fails on purpose: the reference logs that at DEBUG, anything else at ERROR. */
  #logFailure(err: unknown): void {
    if (this.#o.name === 'reject') this.#o.logger.debug(`Rejecting message: ${message(err)}`)
    else this.#o.logger.error(`Failed to send message to ${this.#o.name}: ${message(err)}`)
  }

  /** A successful write: counted, timed from `started`, acked. */
  #delivered(tx: Transaction, started: number): void {
    this.#latency.observe(Math.round((performance.now() - started) * 1e6))
    this.#sent.inc(tx.batch.length)
    this.#batchSent.inc()
    tx.ack()
  }

  /** Upstream is done: an output holding writes back (batching) flushes them now. Once only. */
  #endOfInput(): void {
    if (this.#ended) return
    this.#ended = true
    try {
      this.#o.output.endOfInput?.()
    } catch (err) {
      this.#o.logger.error(`Failed to flush output: ${message(err)}`)
    }
  }

  /** One connect loop shared by every writer. Resolves false on a forced stop. */
  #ensureConnected(): Promise<boolean> {
    if (this.#connected) return Promise.resolve(true)
    this.#connecting ??= this.#connectLoop().finally(() => (this.#connecting = undefined))
    return this.#connecting
  }

  async #connectLoop(): Promise<boolean> {
    const { output, hard, logger } = this.#o
    const backoff = new Backoff(500, 1000)
    while (!hard.aborted) {
      try {
        await output.connect(hard)
        this.#connected = true
        this.#lastError = undefined
        this.#o.onStatus?.()
        this.#connUp.inc()
        return true
      } catch (err) {
        if (hard.aborted) break
        this.#connFailed.inc()
        this.#lastError = message(err)
        logger.error(`Failed to connect to ${this.#o.name}: ${message(err)}`)
        await sleep(backoff.next(), hard)
      }
    }
    return false
  }
}
