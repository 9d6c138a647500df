/**
 * A running stream: input → [buffer] → [pipeline] → output, chained by rendezvous channels.
 *
 *   running ──stop()──▶ draining ──all layers done──▶ stopped (graceful)
 *      │                    └──budget spent──▶ forced ──▶ stopped (graceful: false)
 *      └──input ended──▶ draining ──▶ finished
 *
 * Draining: the input reads nothing more and waits for every acknowledgement; each layer closes
 * its downstream channel once its upstream is closed and its own work is done, and the output is
 * closed last. Forcing aborts every pending hand-off, write and sleep.
 */
import { availableParallelism } from 'node:os'
import { weirError } from '../errors.js'
import type { Buffer, Input, Output, Processor, Transaction } from '../spec/index.js'
import type { ConnectionStatus } from '../protocol/messages.js'
import { isPlainObject } from '../config/values.js'
import { startPipelinePool } from './pipeline-pool.js'
import { ComponentBuilder, type BuiltComponent } from './build.js'
import { Rendezvous } from '../util/channel.js'
import { Gate } from './gate.js'
import { InputLayer, message } from './input-layer.js'
import { BufferLayer } from './buffer-layer.js'
import { PipelineLayer } from './pipeline-layer.js'
import { OutputLayer } from './output-layer.js'
import { ReplayingInput } from './replay.js'
import { MeteredProcessor } from './processors.js'
import { TapBoard } from './taps.js'
import type { StopOutcome, StreamEnv, StreamHandle } from './types.js'

/** Defaults of a stream config's sections (spec §3.3). */
const DEFAULT_INPUT = { stdin: {} }
const DEFAULT_BUFFER = { none: {} }
const DEFAULT_OUTPUT = { stdout: {} }

/**
 * Builds and starts a stream from its raw config (`input`/`buffer`/`pipeline`/`output`, defaults
 * per spec §3.3). Rejects with a located WeirError when any component fails to build; whatever
 * was built before the failure is closed again (an `http_server` then answers 503).
 */
export async function buildStream(config: Record<string, unknown>, env: StreamEnv): Promise<StreamHandle> {
  const hard = new AbortController()
  const builder = new ComponentBuilder(env, hard.signal)
  try {
    const input = await builder.build('input', config.input ?? DEFAULT_INPUT, 'input')
    const buffer = await builder.build('buffer', config.buffer ?? DEFAULT_BUFFER, 'buffer')
    const { threads, processors } = await buildPipeline(config.pipeline, builder, env)
    const output = await builder.build('output', config.output ?? DEFAULT_OUTPUT, 'output')
    return new Stream(env, hard, { input, buffer, threads, processors, output })
  } catch (err) {
    hard.abort()
    await Promise.allSettled(builder.built.map((c) => c.close()))
    throw err
  }
}

async function buildPipeline(raw: unknown, builder: ComponentBuilder, env: StreamEnv): Promise<{ threads: number; processors: Processor[] }> {
  if (raw === undefined || raw === null) return { threads: 1, processors: [] }
  if (!isPlainObject(raw)) throw weirError('CONFIG_TYPE', 'expected object value', { path: 'pipeline' })
  const threadsRaw = raw.threads ?? -1
  if (typeof threadsRaw !== 'number' || !Number.isInteger(threadsRaw)) {
    throw weirError('CONFIG_TYPE', `expected int value, got ${JSON.stringify(threadsRaw)}`, { path: 'pipeline.threads' })
  }
  const procsRaw = raw.processors ?? []
  if (!Array.isArray(procsRaw)) throw weirError('CONFIG_TYPE', 'expected array value', { path: 'pipeline.processors' })
  const processors: Processor[] = []
  for (const [i, p] of procsRaw.entries()) {
    processors.push((await builder.build('processor', p, `pipeline.processors[${i}]`)).instance)
  }
  const threads = threadsRaw <= 0 ? availableParallelism() : threadsRaw
  // Only a `threads` the config sets runs on a pool: left unset, a stream keeps its pipeline on its
  // own thread (no extra threads for the many light streams a host runs; see README). And only a
  // synchronous pipeline (CPU work): waiting processors (sleep, http, caches) already overlap on the
  // stream's thread, `threads` of them at a time.
  if (env.pool && raw.threads !== undefined && threads > 1 && processors.length > 0 && processors.every((p) => p.synchronous)) {
    const pool = await startPipelinePool({ ...env.pool, streamId: env.streamId, processors: procsRaw, configDir: env.configDir }, threads, env.metrics)
    if (pool.ok) {
      env.logger.info(`pipeline running on up to ${threads} pipeline threads`)
      for (const p of processors) void p.close()
      return { threads, processors: [pool.processor] }
    }
    env.logger.warn(`pipeline.threads: the processors cannot run on pipeline threads, so they run on the stream's own thread: ${pool.error.message}`)
  }
  return { threads, processors }
}

interface Parts {
  input: BuiltComponent<'input'>
  buffer: BuiltComponent<'buffer'>
  threads: number
  processors: Processor[]
  output: BuiltComponent<'output'>
}

class Stream implements StreamHandle {
  readonly finished: Promise<void>
  readonly taps: TapBoard
  readonly #env: StreamEnv
  readonly #hard: AbortController
  readonly #parts: Parts
  readonly #gate: Gate
  readonly #inputLayer: InputLayer
  readonly #bufferLayer: BufferLayer | undefined
  readonly #pipelineLayer: PipelineLayer | undefined
  readonly #outputProcLayer: PipelineLayer | undefined
  readonly #outputLayer: OutputLayer
  readonly #done: Promise<void>
  #state: 'running' | 'draining' | 'finished' | 'stopped' = 'running'
  #stopping: Promise<StopOutcome> | undefined

  constructor(env: StreamEnv, hard: AbortController, parts: Parts) {
    this.#env = env
    this.#hard = hard
    this.#parts = parts
    this.#gate = new Gate(!env.paused)
    // Processors running on a pipeline pool are one opaque step: only the input and output are tapped then.
    const own = parts.processors.every((p) => p instanceof MeteredProcessor)
    this.taps = new TapBoard(own ? parts.processors.length : 0)
    if (own) parts.processors.forEach((p, i) => (p as MeteredProcessor).tapAt(this.taps, i + 1))
    const log = env.logger
    const signal = hard.signal
    const onStatus = env.onStatus ? (): void => env.onStatus!(this.statuses()) : undefined

    const rawInput = parts.input.instance
    const input = rawInput.replayNacks ? new ReplayingInput(rawInput) : rawInput
    let ch = new Rendezvous<Transaction>(signal)
    this.#inputLayer = new InputLayer({
      input,
      name: parts.input.name,
      processors: parts.input.processors,
      out: ch,
      metrics: env.metrics(parts.input.metricsPath, parts.input.label),
      logger: log.child({ label: parts.input.label, path: parts.input.metricsPath }),
      gate: this.#gate,
      hard: signal,
      onStatus,
      taps: this.taps,
    })
    const runs: Promise<void>[] = [this.#inputLayer.run()]

    if (parts.buffer.name !== 'none') {
      const next = new Rendezvous<Transaction>(signal)
      this.#bufferLayer = new BufferLayer({
        buffer: parts.buffer.instance,
        in: ch,
        out: next,
        metrics: env.metrics(parts.buffer.metricsPath, parts.buffer.label),
        logger: log.child({ label: parts.buffer.label, path: parts.buffer.metricsPath }),
        hard: signal,
      })
      runs.push(this.#bufferLayer.run())
      ch = next
    }
    if (parts.processors.length > 0) {
      const next = new Rendezvous<Transaction>(signal)
      this.#pipelineLayer = new PipelineLayer({ processors: parts.processors, threads: parts.threads, in: ch, out: next, logger: log, hard: signal })
      runs.push(this.#pipelineLayer.run())
      ch = next
    }
    if (parts.output.processors.length > 0) {
      // Output-level processors run as their own single-threaded step (spec components §2.1).
      const next = new Rendezvous<Transaction>(signal)
      this.#outputProcLayer = new PipelineLayer({ processors: parts.output.processors, threads: 1, in: ch, out: next, logger: log, hard: signal })
      runs.push(this.#outputProcLayer.run())
      ch = next
    }
    this.#outputLayer = new OutputLayer({
      output: parts.output.instance,
      name: parts.output.name,
      in: ch,
      metrics: env.metrics(parts.output.metricsPath, parts.output.label),
      logger: log.child({ label: parts.output.label, path: parts.output.metricsPath }),
      hard: signal,
      onStatus,
      taps: this.taps,
    })
    runs.push(this.#outputLayer.run())
    this.#offerDirectLane(input, parts)

    this.#done = Promise.all(runs)
      .then(() => this.#closeRest())
      .catch((err: unknown) => log.error(`stream failed while draining: ${message(err)}`))
    this.finished = new Promise<void>((resolve) => {
      void this.#done.then(() => {
        if (this.#inputLayer.ended && this.#stopping === undefined) {
          this.#state = 'finished'
          resolve()
        }
      })
    })
    if (env.signal.aborted) this.#inputLayer.stop()
    else env.signal.addEventListener('abort', () => this.#inputLayer.stop(), { once: true })
  }

  /**
   * The direct lane: when nothing after the input can wait (no buffer, synchronous processors, an
   * output that writes synchronously), a transaction is run through the pipeline and the output
   * within the input's own call, skipping the channels between the layers (on the stream endpoint
   * path they cost more than the processing). A pushing input (`useDirectLane`) hands it over as
   * it arrives; any other gets the pull lane, run by the read loop (through the channels and their
   * awaits, a busy generate -> mapping -> drop stream took 2.2x the time per message). Counted,
   * timed, logged and acked as on the layered path. It closes while paused or stopping, so those
   * keep the layered behaviour.
   */
  #offerDirectLane(input: Input, parts: Parts): void {
    const output = parts.output.instance
    if (!output.writeSync) return
    if (parts.buffer.name !== 'none' || parts.input.processors.length > 0 || parts.output.processors.length > 0) return
    if (!parts.processors.every((p) => p.synchronous)) return
    const out = this.#outputLayer
    const write = (tx: Transaction): void => out.direct(tx)
    const pipeline = this.#pipelineLayer
    const next = pipeline ? (tx: Transaction): void => pipeline.direct(tx, write) : write
    const inputLayer = this.#inputLayer
    const open = (): boolean => this.#state === 'running' && this.#gate.isOpen && out.connected
    // A pushed transaction would skip the replay wrapper, which only sees reads.
    if (input.useDirectLane && !input.replayNacks) {
      input.useDirectLane((tx) => {
        if (!open()) return false
        inputLayer.direct(tx, next)
        return true
      })
      return
    }
    inputLayer.usePullLane({ open, next })
  }

  statuses(): ConnectionStatus[] {
    const i = this.#inputLayer
    const o = this.#outputLayer
    const input: ConnectionStatus = { label: this.#parts.input.label, path: 'input', connected: i.connected }
    const output: ConnectionStatus = { label: this.#parts.output.label, path: 'output', connected: o.connected }
    if (!input.connected && i.lastError) input.error = i.lastError
    if (!output.connected && o.lastError) output.error = o.lastError
    return [input, output]
  }

  pause(): void {
    this.#gate.close()
  }

  resume(): void {
    this.#gate.open()
  }

  stats(): Record<string, unknown> {
    return {
      state: this.#state,
      paused: !this.#gate.isOpen,
      in_flight: this.#inputLayer.outstanding,
      pipeline_busy: this.#pipelineLayer?.busy ?? 0,
      output_busy: this.#outputLayer.busy,
    }
  }

  stop(deadlineMs: number, onForcing?: (held: { heldBy: string; inFlight: number }) => void): Promise<StopOutcome> {
    this.#stopping ??= this.#stop(deadlineMs, onForcing)
    return this.#stopping
  }

  async #stop(deadlineMs: number, onForcing?: (held: { heldBy: string; inFlight: number }) => void): Promise<StopOutcome> {
    if (this.#state === 'finished' || this.#state === 'stopped') return { graceful: true, inFlight: 0 }
    this.#state = 'draining'
    const budget = deadlineMs > 1000 ? deadlineMs * 0.75 : deadlineMs
    this.#inputLayer.stop()
    if (await within(this.#done, budget)) {
      this.#state = 'stopped'
      return { graceful: true, inFlight: 0 }
    }
    const inFlight = this.#inputLayer.outstanding
    const heldBy = this.#heldBy()
    onForcing?.({ heldBy, inFlight })
    this.#env.logger.warn(
      `Some components prevented forced termination within the deadline, ${inFlight} transaction(s) in flight held by ${heldBy}; this could potentially cause duplicate messages`,
    )
    this.#hard.abort()
    await within(this.#done, Math.max(deadlineMs - budget, 50))
    this.#state = 'stopped'
    return { graceful: false, heldBy, inFlight }
  }

  #heldBy(): string {
    if (this.#outputLayer.busy > 0) return this.#parts.output.metricsPath
    if (this.#outputProcLayer && this.#outputProcLayer.busy > 0) return `${this.#parts.output.metricsPath}.processors`
    if (this.#pipelineLayer && this.#pipelineLayer.busy > 0) return 'root.pipeline'
    if (this.#bufferLayer && this.#bufferLayer.busy > 0) return this.#parts.buffer.metricsPath
    return this.#parts.input.metricsPath
  }

  /** Closes what the layers do not close themselves (processors, buffer). */
  async #closeRest(): Promise<void> {
    const closers = [...this.#parts.input.processors, ...this.#parts.processors, ...this.#parts.output.processors].map((p) => p.close())
    closers.push((this.#parts.buffer.instance).close())
    for (const r of await Promise.allSettled(closers)) {
      if (r.status === 'rejected') this.#env.logger.error(`Failed to close component: ${message(r.reason)}`)
    }
  }
}

/** Whether `p` settles within `ms`. */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    p.then(
      () => {
        clearTimeout(timer)
        resolve(true)
      },
      () => {
        clearTimeout(timer)
        resolve(true)
      },
    )
  })
}
