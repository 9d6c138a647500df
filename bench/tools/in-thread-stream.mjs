// A stream built from dist/ in the calling thread, with no host around it (the bench tools'
// common set-up): silent logs, real metrics, no resources. `extra` adds to the stream's
// environment (endpoints, for instance). Returns the stream and `stop()`.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** A module of this checkout's build, by its path under dist/. */
export const dist = (p) => pathToFileURL(join(fileURLToPath(new URL('../../dist', import.meta.url)), p)).href

const { buildStream } = await import(dist('src/stream/index.js'))
const { defaultRegistry } = await import(dist('src/components/registry.js'))
const { WorkerMetrics } = await import(dist('src/metrics/worker-metrics.js'))
const { silentLogger } = await import(dist('src/util/logger.js'))

const METRICS = { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] }

export async function inThreadStream(config, extra = {}) {
  const abort = new AbortController()
  const metrics = new WorkerMetrics('bench', METRICS, silentLogger)
  const stream = await buildStream(config, {
    streamId: 'bench',
    registry: defaultRegistry(),
    resources: { hasCache: () => false, hasRateLimit: () => false },
    logger: silentLogger,
    metrics: (path, label) => metrics.view(path, label),
    configDir: '',
    signal: abort.signal,
    paused: false,
    onStatus: () => {},
    ...extra,
  })
  return {
    stream,
    stop: async () => {
      abort.abort()
      await stream.stop(1000).catch(() => {})
    },
  }
}
