/**
 * `weir streams`: start-up in the reference's order (spec §12) — dotenv, root config, resources,
 * logger, HTTP server, stream files — then run until SIGINT/SIGTERM and shut down within
 * `shutdown_timeout`.
 */
import { parseArgs, bool, list, str, type FlagSpec } from './args.js'
import { loadDotenvFiles } from './dotenv.js'
import { VERSION, BUILT } from '../version.js'
import { renderErrorLine, type ErrorData } from '../errors.js'
import { loadRootConfig, type RootConfig } from '../config/root.js'
import { checkResourceLabels, loadResourceFile } from '../config/resources.js'
import { expandStreamPaths } from '../config/paths.js'
import { loadStreamFile } from '../config/stream-loader.js'
import { resourceItems, type ResourceItem } from '../config/resource-kinds.js'
import { parseDuration } from '../config/duration.js'
import { renderLint, type LintFinding } from '../config/lint.js'
import { loadRegistry } from '../components/registry.js'
import { withTemplates } from './templates.js'
import { createLogger } from '../util/logger.js'
import type { Logger } from '../spec/index.js'
import { Host, DEFAULT_STOP_TIMEOUT_MS, type HostSettings } from '../supervisor/host.js'
import { ResourceHost } from '../supervisor/resource-host.js'
import { applyPlan, type WantedStream } from '../supervisor/apply.js'
import { diffStreams } from '../supervisor/stream-diff.js'
import { RouteTable } from '../api/route-table.js'
import { DEFAULT_BACKOFF } from '../supervisor/backoff.js'
import { createApiApp, startServer, type RunningServer } from '../api/server.js'
import { createConfigService } from '../api/config-service.js'
import { basicAuth, checkHttpGuards, cors } from '../api/guards.js'
import { createMetricsEndpoint, type ExporterKind, type MetricsExporter } from '../metrics/exporter.js'
import { startLoggerExporter, type LoggerExporter } from '../metrics/logger-exporter.js'
import { WorkerMetrics } from '../metrics/worker-metrics.js'
import { metricsExporter } from '../config/root.js'
import { hashFile, startWatcher, type LoadedFile, type Watcher } from '../supervisor/watcher.js'
import { loggerSettings, metricsSettings } from './settings.js'
import { StateStore, type PersistedStream } from '../supervisor/state-store.js'
import { MemoryWatch } from '../supervisor/memory-watch.js'
import { serverLimits } from './server-limits.js'
import { openConfigKv } from './config-kv.js'
import type { KvStreams } from '../supervisor/kv-streams.js'
import { autoWorkerNice } from '../worker/thread-priority.js'

export const STREAMS_FLAGS: readonly FlagSpec[] = [
  { name: 'observability', alias: 'o', type: 'string' },
  { name: 'config', alias: 'c', type: 'string' },
  { name: 'resources', alias: 'r', type: 'list' },
  { name: 'env-file', alias: 'e', type: 'list' },
  { name: 'set', alias: 's', type: 'list' },
  { name: 'templates', alias: 't', type: 'list' },
  { name: 'prefix-stream-endpoints', type: 'bool' },
  { name: 'no-api', type: 'bool' },
  { name: 'watcher', alias: 'w', type: 'bool' },
  { name: 'chilled', type: 'bool' },
  { name: 'strict', type: 'bool' },
  { name: 'log.level', type: 'string' },
  { name: 'max-body-size', type: 'string' },
  { name: 'max-header-size', type: 'string' },
  { name: 'header-timeout', type: 'string' },
  { name: 'request-timeout', type: 'string' },
  { name: 'heap-limit-mb', type: 'string' },
  { name: 'heartbeat-timeout', type: 'string' },
  { name: 'state-dir', type: 'string' },
  { name: 'rss-limit-mb', type: 'string' },
  { name: 'config-kv', type: 'string' },
]

export interface StreamsIo {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

/** Runs until a signal; resolves with the exit code. */
export async function runStreams(argv: string[], io: StreamsIo): Promise<number> {
  const args = parseArgs(argv, STREAMS_FLAGS)
  const chilled = bool(args, 'chilled')
  const strict = bool(args, 'strict')
  const limits = serverLimits({
    maxBodySize: str(args, 'max-body-size'),
    maxHeaderSize: str(args, 'max-header-size'),
    headerTimeout: str(args, 'header-timeout'),
    requestTimeout: str(args, 'request-timeout'),
  })
  if (!limits.ok) {
    io.stderr(limits.message)
    return 1
  }

  for (const e of loadDotenvFiles(list(args, 'env-file'))) {
    io.stderr(renderErrorLine(e))
    return 1
  }

  const templates = withTemplates(await loadRegistry(), list(args, 'templates'))
  if (!templates.ok) {
    io.stderr(renderErrorLine(templates.error))
    return 1
  }
  const registry = templates.lookup
  const env = (name: string): string | undefined => process.env[name]
  const rootFile = str(args, 'observability') ?? str(args, 'config')
  const root = loadRootConfig({ file: rootFile, sets: list(args, 'set'), env, lookup: registry })
  if (!root.ok) {
    io.stderr(renderErrorLine(root.error))
    return 1
  }
  const config: RootConfig = root.config
  const findings: string[] = root.findings.map((f) => `${root.file ?? 'config'}${renderLint(f)}`)
  const resourceConfigs: Record<string, unknown>[] = [config as unknown as Record<string, unknown>]
  const resourceDecls: ResourceItem[] = resourceItems(resourceConfigs[0]!)
  for (const file of list(args, 'resources')) {
    const r = loadResourceFile(file, { env, lookup: registry })
    if (!r.ok) {
      io.stderr(renderErrorLine(r.error))
      return 1
    }
    findings.push(...r.findings.map((f: LintFinding) => `${r.file}${renderLint(f)}`))
    resourceConfigs.push(r.config)
    resourceDecls.push(...resourceItems(r.config))
  }

  const labelClash = checkResourceLabels(resourceConfigs)
  if (labelClash) {
    io.stderr(renderErrorLine(labelClash))
    return 1
  }

  const logLevel = str(args, 'log.level')
  const logger = createLogger(loggerSettings(config, logLevel), {})
  logger.info(`Running Weir ${VERSION}`, root.file ? { path: root.file } : {})
  if (root.fromDefaultPath) logger.info(`Config file found in a default path: ${root.file}`)
  if (findings.length) {
    for (const f of findings) (chilled ? logger.warn : logger.error).call(logger, f)
    if (!chilled) {
      logger.error('shutting down due to linter errors, to prevent shutdown run weir with --chilled')
      return 1
    }
  }

  // Resources live on the main thread; their series carry `stream=""` (spec §9.2).
  let rootMetrics: WorkerMetrics
  try {
    rootMetrics = new WorkerMetrics('', metricsSettings(config), logger)
  } catch (err) {
    logger.error(`failed to create metrics mapping: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
  const resources = new ResourceHost(registry, logger, (path, label) => rootMetrics.view(path, label))
  for (const d of resourceDecls) {
    const err = resources.declare(d.kind, d.label, d.conf)
    if (err) {
      logger.error(err.message)
      return 1
    }
  }

  const stateDir = str(args, 'state-dir') ?? config.weir?.state_dir
  let store: StateStore | undefined
  if (stateDir) {
    const opened = StateStore.open(stateDir, (e) => logger.error(e.message, e.stream ? { stream: e.stream } : {}))
    if (!(opened instanceof StateStore)) {
      logger.error(opened.message)
      return 1
    }
    store = opened
  }
  const persisted = store?.load() ?? { streams: [], errors: [] }
  for (const e of persisted.errors) logger.warn(e.message)

  const settings: HostSettings = {
    prefixEndpoints: bool(args, 'prefix-stream-endpoints', true),
    rootPath: config.http.root_path,
    logger: loggerSettings(config, logLevel),
    metrics: metricsSettings(config),
    templates: templates.sources,
    heapLimitMb: Number(str(args, 'heap-limit-mb') ?? config.weir?.heap_limit_mb ?? 0) || 0,
    defaultStopTimeoutMs: DEFAULT_STOP_TIMEOUT_MS,
    startTimeoutMs: 60_000,
    backoff: DEFAULT_BACKOFF,
    heartbeatTimeoutMs: durationFlag(str(args, 'heartbeat-timeout'), 10_000),
    autoNice: autoWorkerNice(),
    ...(store ? { store } : {}),
  }
  const routes = new RouteTable()
  const host = new Host(settings, resources, logger, routes)
  const cfgService = createConfigService(registry, env)
  const configKvUrl = str(args, 'config-kv')
  let kvStreams: KvStreams | undefined
  let configBucket: Parameters<typeof createApiApp>[2]['configBucket']
  if (configKvUrl !== undefined) {
    // One source of streams per host: the bucket is what every host converges on.
    if (args.positionals.length) {
      logger.error('--config-kv takes the place of stream files: give either paths or --config-kv, not both')
      return 1
    }
    const opened = await openConfigKv({ url: configKvUrl, host, env, registry, chilled, logger, paused: (id, source) => pausedFile(persisted.streams, id, source) })
    if (!opened.ok) {
      logger.error(renderErrorLine(opened.error))
      return 1
    }
    kvStreams = opened.streams
    configBucket = opened.api
  }
  const prom = config.metrics.prometheus
  const metrics = createMetricsEndpoint(host, {
    kind: exporterKind(metricsExporter(config)),
    scrapeDeadlineMs: 2000,
    root: () => rootMetrics.exposition(),
    rootStats: () => rootMetrics.stats(),
    processMetrics: prom?.add_process_metrics ?? false,
    runtimeMetrics: prom?.add_go_metrics ?? false,
    ...(prom?.push_url
      ? {
          push: {
            url: prom.push_url,
            job: prom.push_job_name,
            intervalMs: (prom.push_interval ? parseDuration(prom.push_interval) : 0) ?? 0,
            username: prom.push_basic_auth.username,
            password: prom.push_basic_auth.password,
          },
        }
      : {}),
    ...(prom?.file_output_path ? { fileOutputPath: prom.file_output_path } : {}),
    logger,
  })
  const lm = config.metrics.logger
  const metricsLogger = lm
    ? startLoggerExporter(host, {
        intervalMs: lm.push_interval ? parseDuration(lm.push_interval) : undefined,
        flush: lm.flush_metrics,
        rootStats: () => rootMetrics.stats(),
        scrapeDeadlineMs: 2000,
        logger,
      })
    : undefined
  const app = createApiApp(host, cfgService, {
    noApi: bool(args, 'no-api'),
    info: { version: VERSION, built: BUILT },
    metrics,
    maxBodyBytes: limits.limits.maxBodyBytes,
    ...(configBucket ? { configBucket } : {}),
    ...(config.http.debug_endpoints ? { debugConfig: config as unknown as Record<string, unknown> } : {}),
  })

  let server: RunningServer | undefined
  if (config.http.enabled) {
    const http = config.http
    const guardError = checkHttpGuards(http.basic_auth, http.cors, http)
    if (guardError) {
      logger.error(`invalid http config: ${guardError}`)
      return 1
    }
    const tls = http.cert_file ? { tls: { certFile: http.cert_file, keyFile: http.key_file } } : {}
    const authCheck = basicAuth(http.basic_auth)
    const corsCheck = cors(http.cors)
    try {
      server = await startServer(host, routes, app, {
        address: http.address,
        ...limits.limits,
        ...tls,
        ...(authCheck ? { auth: authCheck } : {}),
        ...(corsCheck ? { cors: corsCheck } : {}),
      })
    } catch (err) {
      logger.error(`failed to listen on ${config.http.address}: ${err instanceof Error ? err.message : String(err)}`)
      return 1
    }
    logger.info(`Listening for HTTP requests at: ${http.cert_file ? 'https' : 'http'}://${server.address}`)
  }

  const expanded = expandStreamPaths(args.positionals)
  if (expanded.errors.length) {
    for (const e of expanded.errors) logger.error(renderErrorLine(e))
    await server?.close()
    return 1
  }
  const loaded = new Map<string, LoadedFile>()
  const wanted = new Map<string, WantedStream>()
  const versions = new Map<string, string>()
  for (const { id, file } of expanded.entries) {
    // What the watcher compares later edits against: the bytes as they were when loaded.
    const hash = hashFile(file)
    if (hash) loaded.set(id, { file, hash, failed: false })
    const w: WantedStream = loadStreamFile(file, id, { env, lookup: registry, chilled })
    if (w.ok) w.spec.paused = pausedFile(persisted.streams, id, file)
    wanted.set(id, w)
    versions.set(id, file)
  }
  const startupFailures: ErrorData[] = []
  for (const r of await applyPlan(host, diffStreams(new Map(), versions, () => false), wanted, { recordFailures: true })) {
    if (r.ok) continue
    startupFailures.push(...r.errors)
    const l = loaded.get(r.id)
    if (l) l.failed = true
  }
  if (startupFailures.length && strict) {
    logger.error('shutting down due to stream errors (--strict)')
    await host.close(1000)
    await server?.close()
    return 1
  }
  // With a bucket, API streams live in the bucket; the state directory keeps only paused flags.
  if (kvStreams) {
    await kvStreams.start()
    logger.info(`streams follow NATS KV bucket ${configBucket!.display}`)
  } else await restoreApiStreams(host, persisted.streams, logger)
  logger.info('Launching weir in streams mode, use CTRL+C to close')

  let watcher: Watcher | undefined
  if (bool(args, 'watcher')) {
    watcher = await startWatcher({ host, args: args.positionals, resourceFiles: list(args, 'resources'), env, registry, chilled, logger, loaded })
  }

  const shutdownTimeoutMs = parseDuration(config.shutdown_timeout) ?? 20_000
  const shutdownDelayMs = parseDuration(config.shutdown_delay) ?? 0
  const rssLimitMb = Number(str(args, 'rss-limit-mb') ?? config.weir?.rss_limit_mb ?? 0) || 0
  const memoryWatch = rssLimitMb > 0 ? new MemoryWatch(host, { limitMb: rssLimitMb }, logger) : undefined
  const signal = await waitForSignal()
  memoryWatch?.close()
  return shutdown({ signal, logger, host, server, resources, watcher, kvStreams, metrics, metricsLogger, shutdownTimeoutMs, shutdownDelayMs })
}

interface ShutdownParts {
  signal: string
  logger: Logger
  host: Host
  server: RunningServer | undefined
  resources: ResourceHost
  watcher: Watcher | undefined
  kvStreams: KvStreams | undefined
  metrics: MetricsExporter | undefined
  metricsLogger: LoggerExporter | undefined
  shutdownTimeoutMs: number
  shutdownDelayMs: number
}

async function shutdown(p: ShutdownParts): Promise<number> {
  p.logger.info(`Received ${p.signal}, the service is closing`)
  if (p.shutdownDelayMs > 0) await Promise.race([delay(p.shutdownDelayMs), waitForSignal()])
  const hardExit = setTimeout(() => {
    p.logger.error('Service failed to close cleanly within allocated time. Exiting forcefully...')
    process.exit(1)
  }, p.shutdownTimeoutMs + 1000)
  hardExit.unref()
  await p.watcher?.close()
  await p.kvStreams?.close()
  // Final push / file_output_path while the streams (and so their series) are still there.
  await p.metrics?.close()
  await p.metricsLogger?.close()
  const { failed } = await p.host.close(p.shutdownTimeoutMs)
  if (failed.length) p.logger.error(`failed to gracefully stop the following streams: [${failed.join(' ')}]`)
  await p.server?.close()
  await p.resources.close()
  return failed.length ? 1 : 0
}

/** Whether the state directory remembers file stream `id` (from `file`) as paused. */
function pausedFile(saved: PersistedStream[], id: string, file: string): boolean {
  return saved.some((s) => s.id === id && s.source === file && s.paused)
}

/** API streams from the state directory, after the file streams (a file keeps its id). */
async function restoreApiStreams(host: Host, saved: PersistedStream[], logger: Logger): Promise<void> {
  const wanted = new Map<string, WantedStream>()
  for (const s of saved) {
    if (s.source !== 'api' || !s.config) continue
    if (host.has(s.id)) {
      logger.warn(`not restoring API stream '${s.id}' from the state directory: a stream file uses that id`, { stream: s.id })
      continue
    }
    wanted.set(s.id, { ok: true, spec: { config: s.config, source: 'api', paused: s.paused } })
  }
  const plan = diffStreams(new Map<string, WantedStream>(), wanted, () => false)
  for (const r of await applyPlan(host, plan, wanted, { recordFailures: true })) {
    if (!r.ok) continue
    const paused = wanted.get(r.id)!.spec.paused
    logger.info(`restored API stream '${r.id}' from the state directory${paused ? ' (paused)' : ''}`, { stream: r.id })
  }
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
      resolve(sig)
    }
    const onInt = (): void => on('SIGINT')
    const onTerm = (): void => on('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
  })
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

function exporterKind(name: string): ExporterKind {
  // `logger` and the push exporters have no endpoint of their own (spec §9.5).
  return name === 'prometheus' || name === 'json_api' ? name : 'none'
}

function durationFlag(flag: string | undefined, dflt: number): number {
  if (flag === undefined) return dflt
  return parseDuration(flag) ?? dflt
}
