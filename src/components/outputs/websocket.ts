/**
 * `websocket` output (spec components, tier 3): connects to a WebSocket server and sends each
 * message as a binary message. A write on a dropped connection reports "not connected", so the
 * engine reconnects and writes the same message again.
 */
import type WebSocket from 'ws'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { NotConnectedError, type Output } from '../../spec/index.js'
import { tlsField } from '../shared/http-client-fields.js'
import { websocketAuthFields, websocketDialOptions, websocketUrlFields } from '../shared/websocket-fields.js'
import { dialWebSocket, type WsDialOptions } from '../shared/websocket-dial.js'

export default defineComponent({
  kind: 'output',
  name: 'websocket',
  status: 'stable',
  summary: 'Sends messages to an HTTP server via a websocket connection.',
  config: f.object('', [
    ...websocketUrlFields(''),
    tlsField,
    ...websocketAuthFields,
  ]),
  build: (c): Output => new WebsocketOutput(websocketDialOptions(c)),
})

class WebsocketOutput implements Output {
  readonly maxInFlight = 1
  #ws: WebSocket | undefined

  constructor(readonly dial: WsDialOptions) {}

  connected(): boolean {
    return this.#ws !== undefined
  }

  async connect(signal: AbortSignal): Promise<void> {
    if (this.#ws) return
    const ws = await dialWebSocket(this.dial, signal)
    ws.once('close', () => {
      if (this.#ws === ws) this.#ws = undefined
    })
    this.#ws = ws
  }

  async write(batch: Batch): Promise<void> {
    for (const m of batch) {
      const ws = this.#ws
      if (!ws || ws.readyState !== ws.OPEN) {
        this.#ws = undefined
        throw new NotConnectedError()
      }
      await new Promise<void>((resolve, reject) => ws.send(m.bytes(), { binary: true }, (err) => (err ? reject(err) : resolve())))
    }
  }

  async close(): Promise<void> {
    const ws = this.#ws
    this.#ws = undefined
    ws?.close()
  }
}
