/**
 * One stream's thread: handshake, build the stream from its config, serve the port. Kept thin:
 * everything it wires lives in src/. Started by `workers/boot.ts` from the one-file bundle (with
 * V8's code cache) or by `workers/stream.ts` from the compiled modules.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorData, type ErrorData } from '../src/errors.js'
import { assertNever, type MainToWorker, type WorkerInit, type WorkerToMain } from '../src/protocol/messages.js'
import { WorkerEndpoints } from '../src/worker/endpoints.js'
import { RpcClient, workerResources } from '../src/worker/rpc-client.js'
import { createLogger } from '../src/util/logger.js'
import { loadLazyRegistry } from '../src/components/lazy-registry.js'
import { templatesFromSources } from '../src/config/template.js'
import { layeredLookup } from '../src/spec/index.js'
import { buildStream, type StreamHandle } from '../src/stream/index.js'
import { WorkerMetrics } from '../src/metrics/worker-metrics.js'
import { MetricsPublisher } from '../src/metrics/publisher.js'
import { lowerThreadPriority, workerNice } from '../src/worker/thread-priority.js'
import { locateError } from '../src/config/locate-error.js'

export interface StreamWorkerHooks {
  /** The stream reported ready (the boot loader saves its code cache then). */
  onReady?: () => void
}

/** Runs this thread as the stream worker `workerData` describes. Call once. */
export function runStreamWorker(hooks: StreamWorkerHooks = {}): void {
  const port = parentPort!
  const init = workerData as WorkerInit
  const post = (msg: WorkerToMain, transfer: ArrayBuffer[] = []): void => port.postMessage(msg, transfer)

  const logger = createLogger(init.logger, { stream: init.streamId })
  const endpoints = new WorkerEndpoints(post)
  const rpc = new RpcClient((m, transfer) => post(m, transfer))
  const resources = workerResources(rpc, init)
  const metrics = new WorkerMetrics(init.streamId, init.metrics, logger)
  // Scrapes are served from what this writes; the main thread never waits on this thread for them.
  const publisher = new MetricsPublisher(metrics, (buffer) => post({ type: 'metrics.buffer', buffer }))
  const abort = new AbortController()
  let stream: StreamHandle | undefined

  // A component that throws from a callback must not take the thread down silently: report it so
  // the supervisor records the error, then let the thread die and be restarted.
  process.on('uncaughtException', (err) => fatal(err))
  process.on('unhandledRejection', (err) => fatal(err))

  function fatal(err: unknown): void {
    const e: ErrorData = { ...toErrorData(err, 'STREAM_CRASHED'), stream: init.streamId }
    logger.error('stream worker failed', { error: e.message })
    post({ type: 'fatal', error: e })
    process.exit(1)
  }

  port.on('message', (msg: MainToWorker) => {
    switch (msg.type) {
      case 'http.frame':
        endpoints.dispatchFrame(msg.frame)
        return
      case 'live.open':
      case 'live.data':
      case 'live.close':
        endpoints.dispatchLive(msg)
        return
      case 'stop':
        void stop(msg.deadlineMs)
        return
      case 'pause':
        stream?.pause()
        return
      case 'resume':
        stream?.resume()
        return
      case 'stats.request': {
        // `taps` (present while someone listens) shows what the worker samples, as tests check.
        const taps = stream?.taps.active() ?? []
        post({ type: 'stats.response', id: msg.id, stats: taps.length ? { ...metrics.stats(), taps } : metrics.stats() })
        return
      }
      case 'tap.start':
        stream?.taps.start(msg.point)
        return
      case 'tap.stop':
        stream?.taps.stop(msg.point)
        return
      case 'metrics.request':
        publisher.publish()
        post({ type: 'metrics.response', id: msg.id })
        return
      case 'rpc.reply':
        rpc.reply(msg)
        return
      case 'ping':
        post({ type: 'pong', id: msg.id })
        return
      case 'priority':
        lowerThreadPriority(msg.nice)
        return
      case 'resources.update':
      case 'resources.status':
        resources.update(msg)
        return
      case 'memory.request': {
        const m = process.memoryUsage()
        post({ type: 'memory.response', id: msg.id, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })
        return
      }
      default:
        assertNever(msg)
    }
  })

  async function stop(deadlineMs: number): Promise<void> {
    endpoints.abortAll()
    abort.abort()
    const outcome = stream
      ? await stream.stop(deadlineMs, (held) => post({ type: 'stop.forcing', heldBy: held.heldBy, inFlight: held.inFlight }))
      : { graceful: true, inFlight: 0 }
    publisher.stop()
    post({ type: 'stopped', ...outcome })
  }

  async function main(): Promise<void> {
    try {
      stream = await buildStream(init.config, {
        streamId: init.streamId,
        registry: layeredLookup(await loadLazyRegistry(), templatesFromSources(init.templates)),
        endpoints,
        resources,
        logger,
        metrics: (path, label) => metrics.view(path, label),
        configDir: init.configDir,
        signal: abort.signal,
        paused: init.paused,
        pool: { templates: init.templates, logger: init.logger, processorResources: init.componentResources.processor },
        // Connection changes reach the supervisor's `/ready` without it asking every worker.
        onStatus: (statuses) => post({ type: 'status', statuses }),
      })
    } catch (err) {
      post({ type: 'failed', errors: [locateError({ ...toErrorData(err, 'STREAM_BUILD'), stream: init.streamId }, init.sourceText, init.file)] })
      return
    }
    const s = stream
    // Before `ready`: a scrape right after the stream is created sees its series.
    publisher.start()
    s.taps.setSink((point, events) => post({ type: 'tap.events', point, events }))
    post({ type: 'ready', endpoints: endpoints.list(), statuses: s.statuses(), taps: [...s.taps.points] })
    // From now on the main thread, which serves HTTP and /metrics, wins a core from this one when
    // it is busy (README, Metrics). Not before: a start keeps its full share against other
    // processes, and a thread cannot raise its priority again.
    lowerThreadPriority(workerNice())
    hooks.onReady?.()
    void s.finished.then(() => post({ type: 'finished' }))
  }

  void main()
}
