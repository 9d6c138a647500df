/**
 * The stream the config-source tests (`-w`, `--config-kv`) write and rewrite: it serves `/<id>/in`
 * and answers with its tag, so which version a host runs shows in one request.
 */
import type { RunningHost } from './cli-host.js'

export const tagged = (tag: string): string => `input:
  http_server:
    path: /in
pipeline:
  processors:
    - mapping: 'root = "${tag}:" + content().string()'
output:
  sync_response: {}
`

/** The part of `GET /streams/{id}` these tests read. */
export interface StreamInfo {
  state: string
  generation: number
  source: string
  last_error: null | { message: string; path: string | null; line: number | null; column: number | null }
}

/** `GET /streams/{id}`, or undefined while the host does not run that stream. */
export async function info(h: RunningHost, id: string): Promise<StreamInfo | undefined> {
  const r = await h.fetch(`/streams/${id}`)
  return r.status === 200 ? ((await r.json()) as StreamInfo) : undefined
}

/** What the stream answers on `/<id>/in`: status and body on one line. */
export async function answer(h: RunningHost, id: string, body = 'x'): Promise<string> {
  const r = await h.text(`/${id}/in`, { method: 'POST', body })
  return `${r.status} ${r.body}`
}
