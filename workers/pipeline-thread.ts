/**
 * Thread entry for a stream's `pipeline.threads` pool (piscina): builds the stream's pipeline
 * processors once per thread and runs batches through them. Caches, rate limits and HTTP endpoints
 * live elsewhere, so a pipeline that needs them is refused here and runs on the stream's own
 * thread instead.
 */
import { workerData } from 'piscina'
import { toErrorData, weirError } from '../src/errors.js'
import type { PipelinePoolInit, PipelineResult, PipelineTask } from '../src/protocol/messages.js'
import { loadLazyRegistry } from '../src/components/lazy-registry.js'
import { templatesFromSources } from '../src/config/template.js'
import { layeredLookup, type Processor, type Resources } from '../src/spec/index.js'
import { createLogger } from '../src/util/logger.js'
import { lowerThreadPriority, workerNice } from '../src/worker/thread-priority.js'
import { ComponentBuilder } from '../src/stream/build.js'
import { runChain } from '../src/stream/processors.js'
import { RecordingMetrics } from '../src/stream/recording-metrics.js'
import { decodeBatch, encodeBatch } from '../src/protocol/wire-batch.js'

const init = workerData as PipelinePoolInit
// A stream's pipeline threads run at its own thread's priority, below the main thread's.
lowerThreadPriority(workerNice())
const metrics = new RecordingMetrics()
const unavailable = (what: string): never => {
  throw weirError('STREAM_BUILD', `${what} are not available to pipeline threads`)
}
const resources: Resources = {
  cache: () => unavailable('cache resources'),
  rateLimit: () => unavailable('rate limit resources'),
  input: () => unavailable('input resources'),
  output: () => unavailable('output resources'),
  inprocInput: () => unavailable('inproc connections'),
  inprocOutput: () => unavailable('inproc connections'),
  // The stream's own build checked every name already: reaching for one here is what fails.
  hasCache: () => true,
  hasRateLimit: () => true,
  hasInput: () => true,
  hasOutput: () => true,
  componentConfig: (kind, name) => (kind === 'processor' ? init.processorResources[name] : undefined),
}
const hard = new AbortController()
const builder = new ComponentBuilder(
  {
    streamId: init.streamId,
    registry: layeredLookup(await loadLazyRegistry(), templatesFromSources(init.templates)),
    endpoints: { register: () => unavailable('HTTP endpoints') },
    resources,
    logger: createLogger(init.logger, { stream: init.streamId }),
    metrics: (path, label) => metrics.view(path, label),
    configDir: init.configDir,
    signal: hard.signal,
  },
  hard.signal,
)
const processors: Processor[] = []
for (const [i, p] of init.processors.entries()) processors.push((await builder.build('processor', p, `pipeline.processors[${i}]`)).instance)

export default async function run(task: PipelineTask): Promise<PipelineResult> {
  try {
    const r = runChain(processors, decodeBatch(task.batch))
    const batches = Array.isArray(r) ? r : await r
    return { ok: true, batches: batches.map((b) => encodeBatch(b).wire), metrics: metrics.take() }
  } catch (err) {
    return { ok: false, error: toErrorData(err, 'STREAM_BUILD'), metrics: metrics.take() }
  }
}
