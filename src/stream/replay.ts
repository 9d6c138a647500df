/**
 * `auto_replay_nacks` (spec §13.2): a nacked batch is kept and re-emitted ahead of new data, with
 * a back-off of 1 ms growing ×1.1 up to 1 s, until it is acked; only then is the source acked.
 * The end of input is held back while anything is unacknowledged or waiting for replay, so a
 * finite input (generate `count`) still delivers every message before the stream finishes.
 */
import type { Batch, Message } from '../message/message.js'
import { END_OF_INPUT, type Input, type ReadResult, type Transaction } from '../spec/index.js'
import { Backoff, sleep } from '../util/backoff.js'
import { abortError } from '../util/channel.js'
import type { AckFn } from '../util/ack.js'

interface Pending {
  /** Pristine copies taken before downstream processors touched the batch. */
  snapshot: Message[]
  ack: AckFn
}

export class ReplayingInput implements Input {
  readonly #inner: Input
  readonly #queue: Pending[] = []
  readonly #backoff = new Backoff(1, 1000, 1.1)
  #outstanding = 0
  #ended = false
  #wake: (() => void) | undefined

  constructor(inner: Input) {
    this.#inner = inner
  }

  get connectionMetrics(): boolean | undefined {
    return this.#inner.connectionMetrics
  }

  connect(signal: AbortSignal): Promise<void> {
    return this.#inner.connect(signal)
  }

  connected(): boolean {
    return this.#inner.connected()
  }

  watchConnection(onChange: () => void): void {
    this.#inner.watchConnection?.(onChange)
  }

  close(): Promise<void> {
    return this.#inner.close()
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const replay = this.#queue.shift()
      if (replay) {
        if (!(await sleep(this.#backoff.next(), signal))) {
          this.#queue.unshift(replay)
          throw abortError(signal)
        }
        return this.#track(replay.snapshot.map((m) => m.copy()), replay.snapshot, replay.ack)
      }
      if (this.#ended) {
        if (this.#outstanding === 0) return END_OF_INPUT
        await this.#changed(signal)
        continue
      }
      const r = await this.#inner.read(signal)
      if (r === END_OF_INPUT) {
        this.#ended = true
        continue
      }
      return this.#track(r.batch, r.batch.map((m) => m.copy()), r.ack.bind(r))
    }
  }

  #track(batch: Batch, snapshot: Message[], sourceAck: AckFn): Transaction {
    this.#outstanding++
    let done = false
    return {
      batch,
      ack: (err?: Error) => {
        if (done) return
        done = true
        this.#outstanding--
        if (err) {
          this.#queue.push({ snapshot, ack: sourceAck })
        } else {
          this.#backoff.reset()
          sourceAck()
        }
        this.#notify()
      },
    }
  }

  #notify(): void {
    const w = this.#wake
    this.#wake = undefined
    w?.()
  }

  #changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError(signal))
      const onAbort = (): void => reject(abortError(signal))
      signal.addEventListener('abort', onAbort, { once: true })
      this.#wake = () => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }
    })
  }
}
