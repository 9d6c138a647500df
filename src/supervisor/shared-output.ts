/**
 * One output resource for the whole host: built once on the main thread, connected lazily with
 * back-off, and written by every stream that names it; each write resolves (ack) or fails (nack)
 * back to the stream that made it. At most `maxInFlight` writes run at once, as in a stream.
 * Its connection (connect attempts, and the sink's own reports) is watched for the streams
 * writing to it; before the first write nothing has been tried and it counts as connected.
 */
import type { Batch, Output, Processor } from '../spec/index.js'
import type { Logger } from '../util/logger.js'
import { Backoff, sleep } from '../util/backoff.js'
import { abortError } from '../util/channel.js'
import { runChain } from '../stream/processors.js'
import { ConnectionWatchers } from '../util/connection-watch.js'

export interface OutputSink {
  output: Output
  processors: Processor[]
}

export class SharedOutput {
  readonly label: string
  readonly #log: Logger
  #sink: Promise<OutputSink> | undefined
  #connecting: Promise<void> | undefined
  #inFlight = 0
  #waiters: (() => void)[] = []
  /** Undefined until the sink is first built and connected (or fails to be). */
  #up: boolean | undefined
  /** The sink writes last went to, whose own connection reports are followed. */
  #current: OutputSink | undefined
  readonly #watchers = new ConnectionWatchers()

  readonly #build: () => Promise<OutputSink>
  readonly #describe: (err: unknown) => string

  constructor(label: string, log: Logger, build: () => Promise<OutputSink>, describe: (err: unknown) => string) {
    this.label = label
    this.#log = log
    this.#build = build
    this.#describe = describe
  }

  /** What streams writing to the resource report as their output's connection. */
  get connected(): boolean {
    if (this.#up === undefined) return true
    return this.#up && this.#current?.output.connected() === true
  }

  /** Calls `onChange` whenever `connected` may have changed, until the returned function is called. */
  watch(onChange: () => void): () => void {
    return this.#watchers.add(onChange)
  }

  /** Install a built sink (a replacement); returns the previous one for closing. */
  setSink(next: Promise<OutputSink>): Promise<OutputSink> | undefined {
    const prev = this.#sink
    this.#sink = next
    next.catch(() => undefined)
    this.#connecting = undefined
    // The new sink connects on its next write, as the first one did.
    this.#setUp(undefined)
    return prev
  }

  /** Resolves once the write is acked; rejects with the nack (or the reason the sink cannot be built). */
  async write(batch: Batch, signal: AbortSignal): Promise<void> {
    let sinkP = this.#sink
    if (!sinkP) {
      sinkP = this.#sink = this.#build()
      sinkP.catch(() => undefined)
    }
    let sink: OutputSink
    try {
      sink = await sinkP
    } catch (err) {
      // The next write builds again: a fixed resource file or API replacement may have come since.
      if (this.#sink === sinkP) this.#sink = undefined
      this.#setUp(false)
      throw new Error(this.#describe(err))
    }
    this.#follow(sink)
    await this.#connect(sinkP, sink, signal)
    let batches: Batch[] = [batch]
    if (sink.processors.length) batches = await runChain(sink.processors, batch)
    for (const b of batches) {
      await this.#slot(sink.output.maxInFlight, signal)
      try {
        await sink.output.write(b, signal)
      } finally {
        this.#release()
      }
    }
  }

  /** Closes the sink; never rejects. */
  async close(): Promise<void> {
    const s = await this.#sink?.catch(() => undefined)
    if (s) await Promise.allSettled([s.output.close(), ...s.processors.map((p) => p.close())])
  }

  #connect(sinkP: Promise<OutputSink>, sink: OutputSink, signal: AbortSignal): Promise<void> {
    if (this.#connecting && sinkP === this.#sink) return this.#connecting
    const p = (async () => {
      const backoff = new Backoff(100, 5000)
      for (;;) {
        try {
          await sink.output.connect(signal)
          if (sinkP === this.#sink) this.#setUp(true)
          return
        } catch (err) {
          if (signal.aborted) throw abortError(signal)
          if (sinkP === this.#sink) this.#setUp(false)
          this.#log.error(`Failed to connect output resource '${this.label}': ${err instanceof Error ? err.message : String(err)}`)
          await sleep(backoff.next(), signal)
        }
      }
    })()
    // A failed (aborted) attempt must not stay cached for the next writer.
    this.#connecting = p
    p.catch(() => {
      if (this.#connecting === p) this.#connecting = undefined
    })
    return p
  }

  #setUp(up: boolean | undefined): void {
    const was = this.connected
    this.#up = up
    if (this.connected !== was) this.#watchers.notify()
  }

  /** Follows the connection reports of `sink` while writes go to it. */
  #follow(sink: OutputSink): void {
    if (this.#current === sink) return
    this.#current = sink
    this.#watchers.follow(sink.output, () => this.#current === sink)
  }

  #slot(max: number, signal: AbortSignal): Promise<void> {
    if (this.#inFlight < Math.max(1, max)) {
      this.#inFlight++
      return Promise.resolve()
    }
    return new Promise((resolve, reject) => {
      const go = (): void => {
        signal.removeEventListener('abort', onAbort)
        this.#inFlight++
        resolve()
      }
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== go)
        reject(abortError(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(go)
    })
  }

  #release(): void {
    this.#inFlight--
    this.#waiters.shift()?.()
  }
}
