/**
 * `weir streams`: start-up in the reference's order (spec §12) — dotenv, root config, resources,
 * logger, HTTP server, stream files — then run until SIGINT/SIGTERM and shut down within
 * `shutdown_timeout`.
 */
import { parseArgs, bool, list, str, type FlagSpec } from './args.js'
import { loadDotenvFiles } from './dotenv.js'
import { VERSION, BUILT } from '../version.js'
import { weirError, renderErrorLine, type ErrorData } from '../errors.js'
import { loadRootConfig, type RootConfig } from '../config/root.js'
import { checkResourceLabels, loadResourceFile } from '../config/resources.js'
import { expandStreamPaths } from '../config/paths.js'
import { readStreamFile } from '../config/stream-file.js'
import { parseDuration } from '../config/duration.js'
import { renderLint, type LintFinding } from '../config/lint.js'
import { defaultRegistry } from '../components/registry.js'
import { createLogger } from '../util/logger.js'
import type { Logger } from '../spec/index.js'
import { Host, DEFAULT_STOP_TIMEOUT_MS, type HostSettings } from '../supervisor/host.js'
import { ResourceHost, type ResourceKind } from '../supervisor/resource-host.js'
import { DEFAULT_BACKOFF } from '../supervisor/backoff.js'
import { createApiApp, startServer, type RunningServer } from '../api/server.js'
import { createConfigService } from '../api/config-service.js'
import { basicAuth, checkHttpGuards, cors } from '../api/guards.js'
import { createMetricsEndpoint, type ExporterKind, type MetricsExporter } from '../metrics/exporter.js'
import { startLoggerExporter, type LoggerExporter } from '../metrics/logger-exporter.js'
import { WorkerMetrics } from '../metrics/worker-metrics.js'
import { metricsExporter } from '../config/root.js'
import { hashFile, startWatcher, type Watcher } from '../supervisor/watcher.js'
import { loggerSettings, metricsSettings } from './settings.js'
import { StateStore, type PersistedStream } from '../supervisor/state-store.js'
import { MemoryWatch } from '../supervisor/memory-watch.js'

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
  { name: 'heap-limit-mb', type: 'string' },
  { name: 'heartbeat-timeout', type: 'string' },
  { name: 'state-dir', type: 'string' },
  { name: 'rss-limit-mb', type: 'string' },
]

const RESOURCE_FIELDS: readonly [string, ResourceKind][] = [
  ['cache_resources', 'cache'],
  ['rate_limit_resources', 'rate_limit'],
  ['processor_resources', 'processor'],
  ['input_resources', 'input'],
  ['output_resources', 'output'],
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

  for (const e of loadDotenvFiles(list(args, 'env-file'))) {
    io.stderr(renderErrorLine(e))
    return 1
  }

  const registry = defaultRegistry()
  const env = (name: string): string | undefined => process.env[name]
  const rootFile = str(args, 'observability') ?? str(args, 'config')
  const root = loadRootConfig({ file: rootFile, sets: list(args, 'set'), env, lookup: registry })
  if (!root.ok) {
    io.stderr(renderErrorLine(root.error))
    return 1
  }
  const config: RootConfig = root.config
  const findings: string[] = root.findings.map((f) => `${root.file ?? 'config'}${renderLint(f)}`)
  const resourceDecls: { kind: ResourceKind; label: string; conf: unknown }[] = []
  const resourceConfigs: Record<string, unknown>[] = [config as unknown as Record<string, unknown>]
  collectResources(resourceConfigs[0]!, resourceDecls)
  for (const file of list(args, 'resources')) {
    const r = loadResourceFile(file, { env, lookup: registry })
    if (!r.ok) {
      io.stderr(renderErrorLine(r.error))
      return 1
    }
    findings.push(...r.findings.map((f: LintFinding) => `${r.file}${renderLint(f)}`))
    resourceConfigs.push(r.config)
    collectResources(r.config, resourceDecls)
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
    heapLimitMb: Number(str(args, 'heap-limit-mb') ?? config.weir?.heap_limit_mb ?? 0) || 0,
    defaultStopTimeoutMs: DEFAULT_STOP_TIMEOUT_MS,
    startTimeoutMs: 60_000,
    backoff: DEFAULT_BACKOFF,
    heartbeatTimeoutMs: durationFlag(str(args, 'heartbeat-timeout'), 10_000),
    ...(store ? { store } : {}),
  }
  const host = new Host(settings, resources, logger)
  const cfgService = createConfigService(registry, env)
  const prom = config.metrics.prometheus
  const metrics = createMetricsEndpoint(host, {
    kind: exporterKind(metricsExporter(config)),
    scrapeDeadlineMs: 2000,
    rootText: () => rootMetrics.text(),
    rootStats: () => rootMetrics.stats(),
    rootShared: () => rootMetrics.exposition().shared,
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
      server = await startServer(host, app, {
        address: http.address,
        maxBodyBytes: maxBody(str(args, 'max-body-size')),
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
  const startupFailures: ErrorData[] = []
  const loaded = new Map<string, { file: string; hash: string }>()
  await Promise.all(
    expanded.entries.map(async ({ id, file }) => {
      // What the watcher compares later edits against: the bytes as they were when loaded.
      const hash = hashFile(file)
      if (hash) loaded.set(id, { file, hash })
      const r = readStreamFile(file, id, { env, lookup: registry, chilled })
      if (!r.ok) {
        startupFailures.push(r.error)
        host.recordFailure(id, { config: {}, source: file }, [r.error])
        logger.error(renderErrorLine(r.error), { stream: id })
        return
      }
      if (r.findings.length && !chilled) {
        const lines = r.findings.map((f: LintFinding) => `${file}${renderLint(f)}`)
        for (const l of lines) logger.error(l, { stream: id })
        const first = r.findings[0]!
        const e = weirError('CONFIG_LINT', first.message, { stream: id, file, path: first.path, line: first.line, col: first.col }).data
        startupFailures.push(e)
        host.recordFailure(id, { config: r.config, text: r.text, source: file }, [e])
        return
      }
      for (const f of r.findings) logger.warn(`${file}${renderLint(f)}`, { stream: id })
      const out = await host.create(id, { config: r.config, text: r.text, source: file, paused: pausedFile(persisted.streams, id, file) })
      if (!out.ok) {
        for (const e of out.errors) logger.error(`failed to create stream: ${renderErrorLine(e)}`, { stream: id })
        startupFailures.push(...out.errors)
        host.recordFailure(id, { config: r.config, text: r.text, source: file }, out.errors)
      }
    }),
  )
  if (startupFailures.length && strict) {
    logger.error('shutting down due to stream errors (--strict)')
    await host.close(1000)
    await server?.close()
    return 1
  }
  await restoreApiStreams(host, persisted.streams, logger)
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
  return shutdown({ signal, logger, host, server, resources, watcher, metrics, metricsLogger, shutdownTimeoutMs, shutdownDelayMs })
}

interface ShutdownParts {
  signal: string
  logger: Logger
  host: Host
  server: RunningServer | undefined
  resources: ResourceHost
  watcher: Watcher | undefined
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
  await Promise.all(
    saved.map(async (s) => {
      if (s.source !== 'api' || !s.config) return
      if (host.has(s.id)) {
        logger.warn(`not restoring API stream '${s.id}' from the state directory: a stream file uses that id`, { stream: s.id })
        return
      }
      const spec = { config: s.config, source: 'api', paused: s.paused }
      const out = await host.create(s.id, spec)
      if (out.ok) {
        logger.info(`restored API stream '${s.id}' from the state directory${s.paused ? ' (paused)' : ''}`, { stream: s.id })
        return
      }
      for (const e of out.errors) logger.error(`failed to restore stream: ${renderErrorLine(e)}`, { stream: s.id })
      host.recordFailure(s.id, spec, out.errors)
    }),
  )
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

function collectResources(conf: Record<string, unknown>, into: { kind: ResourceKind; label: string; conf: unknown }[]): void {
  for (const [field, kind] of RESOURCE_FIELDS) {
    const items = conf[field]
    if (!Array.isArray(items)) continue
    for (const item of items) {
      if (!item || typeof item !== 'object') continue
      const { label, ...rest } = item as Record<string, unknown>
      into.push({ kind, label: String(label ?? ''), conf: rest })
    }
  }
}

const DEFAULT_MAX_BODY = 64 * 1024 * 1024

function maxBody(flag: string | undefined): number {
  if (flag === undefined) return DEFAULT_MAX_BODY
  const n = Number(flag)
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_BODY
}

function exporterKind(name: string): ExporterKind {
  // `logger` and the push exporters have no endpoint of their own (spec §9.5).
  return name === 'prometheus' || name === 'json_api' ? name : 'none'
}

function durationFlag(flag: string | undefined, dflt: number): number {
  if (flag === undefined) return dflt
  return parseDuration(flag) ?? dflt
}
