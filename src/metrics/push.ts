/**
 * The prometheus exporter's `push_url` / `push_interval` (Push Gateway) and `file_output_path`.
 * Pushes replace the job's group (HTTP PUT, as client_golang's `Pusher.Push`), in the text
 * format rather than Go's protobuf; a final push and the file are written when the exporter
 * closes.
 */
import { renameSync, writeFileSync } from 'node:fs'
import type { Logger } from '../spec/index.js'

export interface PushSettings {
  url: string
  job: string
  /** 0 = only the final push at shutdown. */
  intervalMs: number
  username: string
  password: string
}

const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

/** `{url}/metrics/job/{job}`, the job name encoded as client_golang does. */
export function pushUrl(url: string, job: string): string {
  let base = url.includes('://') ? url : `http://${url}`
  while (base.endsWith('/')) base = base.slice(0, -1)
  if (job === '') return `${base}/metrics/job@base64/=`
  if (job.includes('/')) return `${base}/metrics/job@base64/${Buffer.from(job).toString('base64url')}`
  return `${base}/metrics/job/${encodeURIComponent(job)}`
}

export interface Pusher {
  /** One push now; resolves with an error message, or undefined on success. */
  push(): Promise<string | undefined>
  /** Stop the interval, then push once more. */
  close(): Promise<void>
}

export function startPusher(s: PushSettings, render: () => Promise<Uint8Array>, logger: Logger | undefined): Pusher {
  const target = pushUrl(s.url, s.job)
  const headers: Record<string, string> = { 'Content-Type': TEXT_TYPE }
  if (s.username && s.password) headers.Authorization = `Basic ${Buffer.from(`${s.username}:${s.password}`).toString('base64')}`
  const push = async (): Promise<string | undefined> => {
    try {
      const res = await fetch(target, { method: 'PUT', headers, body: await render(), signal: AbortSignal.timeout(10_000) })
      const body = await res.text()
      if (res.status === 200 || res.status === 202) return undefined
      return `unexpected status code ${res.status} while pushing to ${target}: ${body}`
    } catch (err) {
      return err instanceof Error ? err.message : String(err)
    }
  }
  const report = (err: string | undefined): void => {
    if (err) logger?.error(`Failed to push metrics: ${err}`)
  }
  let timer: NodeJS.Timeout | undefined
  if (s.intervalMs > 0) {
    timer = setInterval(() => void push().then(report), s.intervalMs)
    timer.unref()
  }
  return {
    push,
    close: async () => {
      clearInterval(timer)
      report(await push())
    },
  }
}

/** Written through a temporary file and a rename, so readers never see half a file. */
export function writeTextFile(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, bytes)
  renameSync(tmp, path)
}
