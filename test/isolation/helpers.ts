/**
 * Shared pieces of the isolation tests: a client loop that keeps one stream busy and counts every
 * failure, a recorder of a stream's state as the API reports it, and small API helpers.
 */
import type { TestContext } from 'node:test'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { RunningHost } from '../helpers/cli-host.js'

/** Root config with JSON logs, so tests can read log lines as events. */
export const JSON_LOGS = 'logger:\n  level: INFO\n  format: json\n'

/** The stream that must keep serving while others fail: `/healthy/ping` answers `pong:<body>`. */
export const HEALTHY_STREAM = `
input:
  http_server:
    path: /ping
    timeout: 30s
pipeline:
  processors:
    - mapping: 'root = "pong:" + content()'
    - sync_response: {}
output:
  drop: {}
`

/** What the healthy stream must answer to request `i`. */
export function pingPong(i: number): { body: string; reply: string } {
  return { body: `m${i}`, reply: `pong:m${i}` }
}

export interface StreamView {
  active: boolean
  state: string
  restarts: number
  last_error: { message: string; code: string; at: string } | null
  next_retry_at: string | null
}

/** `GET /streams/{id}` (undefined on 404). */
export async function streamInfo(host: RunningHost, id: string): Promise<StreamView | undefined> {
  const r = await host.fetch(`/streams/${id}`)
  if (r.status === 404) {
    await r.body?.cancel()
    return undefined
  }
  return (await r.json()) as StreamView
}

export async function createStream(host: RunningHost, id: string, config: Record<string, unknown>): Promise<void> {
  const r = await host.text(`/streams/${id}`, { method: 'POST', body: JSON.stringify(config) })
  if (r.status !== 200) throw new Error(`creating ${id}: ${r.status} ${r.body}`)
}

export interface LoopResult {
  ok: number
  failures: string[]
}

/**
 * Sends `lanes` requests at a time to `path` until stopped; each must answer 200 with `expect`.
 * Anything else (status, body, a socket error) is recorded as a failure.
 */
export function requestLoop(host: RunningHost, path: string, expect: (i: number) => { body: string; reply: string }, lanes = 2): { stop(): Promise<LoopResult>; count(): number } {
  let running = true
  let ok = 0
  let n = 0
  const failures: string[] = []
  const lane = async (): Promise<void> => {
    while (running) {
      const i = n++
      const { body, reply } = expect(i)
      try {
        // A request that never comes back is a failure, not a hung test.
        const r = await host.text(path, { method: 'POST', body, signal: AbortSignal.timeout(60_000) })
        if (r.status !== 200 || r.body !== reply) failures.push(`#${i}: ${r.status} ${JSON.stringify(r.body)}`)
        else ok++
      } catch (err) {
        failures.push(`#${i}: ${err instanceof Error ? `${err.message} ${String(err.cause ?? '')}` : String(err)}`)
      }
    }
  }
  const all = Promise.all(Array.from({ length: lanes }, lane))
  return {
    count: () => ok,
    stop: async () => {
      running = false
      await all
      return { ok, failures }
    },
  }
}

/** Polls a stream's state and keeps the sequence of distinct states it went through. */
export function recordStates(host: RunningHost, id: string): { stop(): Promise<string[]>; states: string[] } {
  const states: string[] = []
  let running = true
  const sample = async (): Promise<void> => {
    try {
      const s = (await streamInfo(host, id))?.state ?? 'absent'
      if (states[states.length - 1] !== s) states.push(s)
    } catch {
      /* the host is busy; try again */
    }
  }
  const loop = (async () => {
    while (running) {
      await sample()
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  return {
    states,
    stop: async () => {
      running = false
      await loop
      // The caller has just seen the final state; make sure the record ends with it too.
      await sample()
      return states
    },
  }
}

/** A loopback server that accepts requests and never answers them. */
export async function silentServer(t: TestContext): Promise<{ url: string; received: () => number }> {
  let received = 0
  const held: ServerResponse[] = []
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    received++
    held.push(res)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  t.after(() => {
    server.closeAllConnections()
    return new Promise<void>((r) => server.close(() => r()))
  })
  const a = server.address()
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`, received: () => received }
}

/** The log lines (JSON logger) whose `msg` matches. */
export function logLines(text: string, msg: RegExp): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      const v = JSON.parse(line) as Record<string, unknown>
      if (typeof v.msg === 'string' && msg.test(v.msg)) out.push(v)
    } catch {
      /* not a log line */
    }
  }
  return out
}
