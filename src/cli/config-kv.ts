/**
 * `weir streams --config-kv nats://host:port/bucket`: opens the bucket, and gives the API its
 * write-through view of it. The watch itself is `supervisor/kv-streams.ts`.
 */
import type { StreamBucket } from '../api/stream-bucket.js'
import { checkKvKey, openConfigBucket, parseConfigKvUrl } from '../supervisor/config-bucket.js'
import { KvStreams } from '../supervisor/kv-streams.js'
import type { Host } from '../supervisor/host.js'
import type { Logger, SpecLookup } from '../spec/index.js'
import type { ErrorData } from '../errors.js'

export interface ConfigKvOptions {
  url: string
  host: Host
  env: (name: string) => string | undefined
  registry: SpecLookup
  chilled: boolean
  logger: Logger
  paused: (id: string, source: string) => boolean
}

/** Connects and opens (or creates) the bucket; the watch starts with `KvStreams.start()`. */
export async function openConfigKv(o: ConfigKvOptions): Promise<{ ok: true; streams: KvStreams; api: StreamBucket } | { ok: false; error: ErrorData }> {
  const parsed = parseConfigKvUrl(o.url)
  if (!parsed.ok) return parsed
  const opened = await openConfigBucket(parsed.address, o.logger)
  if (!opened.ok) return opened
  const streams = new KvStreams({ host: o.host, bucket: opened.bucket, env: o.env, registry: o.registry, chilled: o.chilled, logger: o.logger, paused: o.paused })
  const b = opened.bucket
  const api: StreamBucket = {
    display: parsed.address.display,
    checkId: checkKvKey,
    has: (id) => streams.has(id),
    keys: () => streams.keys(),
    create: (id, text) => b.create(id, text),
    put: (id, text) => b.put(id, text),
    delete: (id) => b.delete(id),
    waitApplied: (id, revision, timeoutMs) => streams.waitApplied(id, revision, timeoutMs),
  }
  return { ok: true, streams, api }
}
