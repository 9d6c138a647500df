/**
 * The input layer (spec §13.2): connect with back-off, read ahead, run input-level processors,
 * hand each resulting batch downstream through a rendezvous, and track every transaction until it
 * is acknowledged. It closes its downstream channel only once nothing it read is unacknowledged,
 * so a stop or the end of input drains instead of dropping messages.
 */
import { END_OF_INPUT, type Input, type Logger, type MetricsView, type Processor, type Transaction } from '../spec/index.js'
import { isNotConnected } from '../spec/index.js'
import { Backoff, sleep } from '../util/backoff.js'
import { splitAck, once, type AckFn } from '../util/ack.js'
import type { Rendezvous } from '../util/channel.js'
import type { Gate } from './gate.js'
import { runChain } from './processors.js'
import type { TapBoard } from './taps.js'

/** Longest stretch the read loop runs before letting the worker's event loop take messages. */
const YIELD_EVERY_MS = 5

export interface InputLayerOptions {
  input: Input
  name: string
  processors: readonly Processor[]
  out: Rendezvous<Transaction>
  metrics: MetricsView
  logger: Logger
  gate: Gate
  /** Aborted on a forced stop. */
  hard: AbortSignal
  /** Called when the connection state changes. */
  onStatus?: () => void
  /** Tap point `input` is slot 0 of this board. */
  taps: TapBoard
}

/**
 * The pull lane (stream/stream.ts): a transaction read while `open()` holds runs through the rest
 * of the stream with `next` within the read loop, as the direct lane does for pushed ones.
 */
export interface PullLane {
  open(): boolean
  next(tx: Transaction): void
}

export class InputLayer {
  readonly #o: InputLayerOptions
  readonly #readStop = new AbortController()
  readonly #received
  readonly #latency
  readonly #connUp
  readonly #connFailed
  readonly #connLost
  #outstanding = 0
  #idle: (() => void) | undefined
  #connected = false
  #lastError: string | undefined
  #ended = false
  #closing: Promise<void> | undefined
  #lane: PullLane | undefined
  /** When the last transaction was read (performance.now): the read loop's yield check reuses it. */
  #readAt = 0

  constructor(o: InputLayerOptions) {
    this.#o = o
    this.#received = o.metrics.counter('input_received')
    this.#latency = o.metrics.timer('input_latency_ns')
    const conn = o.input.connectionMetrics !== false
    const none = { inc: (): void => {} }
    this.#connUp = conn ? o.metrics.counter('input_connection_up') : none
    this.#connFailed = conn ? o.metrics.counter('input_connection_failed') : none
    this.#connLost = conn ? o.metrics.counter('input_connection_lost') : none
    o.input.watchConnection?.(() => this.#o.onStatus?.())
  }

  /** Transactions read and not yet acknowledged. */
  get outstanding(): number {
    return this.#outstanding
  }

  /** Whether the input reported the end of its data (as opposed to being stopped). */
  get ended(): boolean {
    return this.#ended
  }

  get connected(): boolean {
    return this.#connected && this.#o.input.connected()
  }

  get lastError(): string | undefined {
    return this.#lastError
  }

  /**
   * Reads after this run downstream inside the read loop while `lane.open()` holds. The lane opens
   * (as the output connects, or as the stream resumes) only once everything read before is
   * acknowledged, so nothing on the layered path is overtaken.
   */
  usePullLane(lane: PullLane): void {
    this.#lane = lane
  }

  /** Soft stop: read nothing more; what was read still completes. Idempotent. */
  stop(): void {
    if (this.#readStop.signal.aborted) return
    this.#readStop.abort()
    this.#closeInput()
  }

  /** Resolves once the downstream channel is closed (ended, or stopped and drained). */
  async run(): Promise<void> {
    const { out } = this.#o
    try {
      await this.#loop()
    } catch (err) {
      this.#o.logger.error(`input layer failed: ${message(err)}`)
    }
    await this.#drained()
    this.#closeInput()
    await this.#closing
    out.close()
  }

  async #loop(): Promise<void> {
    const { input, gate, logger } = this.#o
    const signal = this.#readStop.signal
    const backoff = new Backoff(100, 1000)
    let lastYield = performance.now()
    while (!signal.aborted) {
      if (!this.#connected && !(await this.#connect(signal))) return
      const paused = gate.wait(signal)
      if (paused) {
        try {
          await paused
        } catch {
          return
        }
      }
      let r: Awaited<ReturnType<Input['read']>>
      try {
        r = await input.read(signal)
      } catch (err) {
        if (signal.aborted) return
        if (isNotConnected(err)) {
          this.#connLost.inc()
          this.#connected = false
          this.#lastError = message(err)
          this.#o.onStatus?.()
          continue
        }
        logger.error(`Failed to read message: ${message(err)}`)
        await sleep(backoff.next(), signal)
        continue
      }
      if (r === END_OF_INPUT) {
        this.#ended = true
        return
      }
      backoff.reset()
      // Read each time: the stream offers the lane after this loop has started.
      const lane = this.#lane
      let drained = lane !== undefined && lane.open() && this.#drained()
      // No await on the lane itself: a promise only while switching to it.
      if (drained !== true && drained !== false) drained = (await drained) && lane!.open()
      if (drained) this.direct(r, lane!.next)
      else await this.#dispatch(r)
      // An input that always has data (generate without interval) would otherwise keep the loop on
      // microtasks forever: stop, stats, metrics and heartbeat messages would never be read. The
      // time is the read's (taken for its latency), not a clock read of its own per message.
      if (this.#readAt - lastYield > YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        lastYield = performance.now()
      }
    }
  }

  async #connect(signal: AbortSignal): Promise<boolean> {
    const backoff = new Backoff(100, 1000)
    while (!signal.aborted) {
      try {
        await this.#o.input.connect(signal)
        this.#connected = true
        this.#lastError = undefined
        this.#o.onStatus?.()
        this.#connUp.inc()
        return true
      } catch (err) {
        if (signal.aborted) return false
        this.#connFailed.inc()
        this.#lastError = message(err)
        this.#o.logger.error(`Failed to connect to ${this.#o.name}: ${message(err)}`)
        await sleep(backoff.next(), signal)
      }
    }
    return false
  }

  /**
   * Waits until everything read so far is acknowledged: before the downstream channel closes, and
   * before a switch from the layered path to the pull lane (what is still in the channels behind
   * would otherwise be overtaken). Resolves false on a forced stop. At once (and without a
   * promise) when nothing is outstanding, as on the lane after its first message.
   */
  #drained(): boolean | Promise<boolean> {
    if (this.#outstanding === 0) return true
    const hard = this.#o.hard
    if (hard.aborted) return false
    // The abort listener goes once the wait is over: the hard signal lives as long as the stream.
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        this.#idle = undefined
        resolve(false)
      }
      hard.addEventListener('abort', onAbort, { once: true })
      this.#idle = () => {
        hard.removeEventListener('abort', onAbort)
        resolve(true)
      }
    })
  }

  /**
   * The direct lane (stream/stream.ts): the transaction is counted and tracked as a read one is,
   * and handed to `next` (the rest of the stream) within this call.
   */
  direct(tx: Transaction, next: (tx: Transaction) => void): void {
    const taps = this.#o.taps
    if (taps.on[0] === 1) taps.offer(0, tx.batch)
    next({ batch: tx.batch, ack: this.#track(tx) })
  }

  /** Counts a transaction read and returns the ack that finishes tracking it (once). */
  #track(tx: Transaction): AckFn {
    const { logger } = this.#o
    this.#received.inc(tx.batch.length)
    this.#outstanding++
    const started = performance.now()
    this.#readAt = started
    return once((err) => {
      this.#latency.observe(Math.round((performance.now() - started) * 1e6))
      try {
        tx.ack(err)
      } catch (e) {
        logger.error(`input acknowledgement failed: ${message(e)}`)
      }
      if (--this.#outstanding === 0 && this.#idle) {
        const idle = this.#idle
        this.#idle = undefined
        idle()
      }
    })
  }

  async #dispatch(tx: Transaction): Promise<void> {
    const { out, processors } = this.#o
    const ack = this.#track(tx)
    let batches
    try {
      batches = processors.length ? await runChain(processors, tx.batch) : [tx.batch]
    } catch (err) {
      ack(asError(err))
      return
    }
    if (batches.length === 0) {
      ack()
      return
    }
    const taps = this.#o.taps
    if (taps.on[0] === 1) taps.offer(0, batches)
    const acks = splitAck(batches.length, ack)
    for (let i = 0; i < batches.length; i++) {
      try {
        await out.put({ batch: batches[i]!, ack: acks[i]! })
      } catch (err) {
        for (let j = i; j < batches.length; j++) acks[j]!(asError(err))
        return
      }
    }
  }

  #closeInput(): void {
    this.#closing ??= this.#o.input.close().catch((err: unknown) => {
      this.#o.logger.error(`Failed to close input: ${message(err)}`)
    })
  }
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}
