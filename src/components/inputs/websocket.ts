/**
 * `websocket` input (spec components, tier 3): connects to a WebSocket server and turns each
 * message it sends into a message. An `open_message` is sent on every (re)connection. Data is
 * acknowledged on arrival (nacks are replayed by the engine with `auto_replay_nacks`); a dropped
 * connection reconnects, and `connection.max_retries` failed attempts in a row end the input.
 */
import type WebSocket from 'ws'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import { END_OF_INPUT, NotConnectedError, type Input, type ReadResult } from '../../spec/index.js'
import { tlsField } from '../shared/http-client-fields.js'
import { Notifier } from '../shared/notifier.js'
import { websocketAuthFields, websocketDialOptions, websocketUrlFields } from '../shared/websocket-fields.js'
import { dialWebSocket, type WsDialOptions } from '../shared/websocket-dial.js'

export default defineComponent({
  kind: 'input',
  name: 'websocket',
  status: 'stable',
  summary: 'Connects to a websocket server and continuously receives messages.',
  config: f.object('', [
    ...websocketUrlFields(' (`ws://localhost:4195/get/ws`)'),
    f.string('open_message', { optional: true, advanced: true, description: 'An optional message to send to the server upon connection.' }),
    f.string('open_message_type', { default: 'binary', options: ['binary', 'text'], advanced: true, description: 'The data type of open_message.' }),
    f.bool('auto_replay_nacks', { default: true, description: 'Whether messages that are rejected (nacked) at the output level should be automatically replayed indefinitely.' }),
    tlsField,
    f.object('connection', [f.int('max_retries', { optional: true, advanced: true, description: 'Consecutive failed connection attempts after which the input ends; below zero: no limit.' })], {
      optional: true,
      advanced: true,
      description: 'Customise how websocket connection attempts are made.',
    }),
    ...websocketAuthFields,
  ]),
  build: (c): Input => {
    const dial = websocketDialOptions(c)
    const open = c.open_message !== undefined && c.open_message !== '' ? { data: c.open_message, binary: c.open_message_type === 'binary' } : undefined
    const maxRetries = c.connection?.max_retries
    return new WebsocketInput(dial, open, maxRetries !== undefined && maxRetries >= 0 ? maxRetries : undefined, c.auto_replay_nacks)
  },
})

/** Queued messages at which the server is paused, and at which it is resumed. */
const HIGH_WATER = 1000
const LOW_WATER = 100

class WebsocketInput implements Input {
  readonly replayNacks: boolean
  #ws: WebSocket | undefined
  #queue: Buffer[] = []
  /** A message arrived or the connection went. */
  readonly #changed = new Notifier()
  #failures = 0
  #gaveUp = false

  constructor(
    readonly dial: WsDialOptions,
    readonly open: { data: string; binary: boolean } | undefined,
    readonly maxRetries: number | undefined,
    replay: boolean,
  ) {
    this.replayNacks = replay
  }

  connected(): boolean {
    return this.#ws !== undefined || this.#gaveUp
  }

  async connect(signal: AbortSignal): Promise<void> {
    if (this.#ws || this.#gaveUp) return
    let ws: WebSocket
    // Messages of this connection, kept from the handshake on; this becomes the input's queue once
    // the connection is the input's (a failed dial's are dropped with it).
    const arrived: Buffer[] = []
    const onMessage = (data: WebSocket.RawData, from: WebSocket): void => {
      arrived.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer))
      // Back pressure: a server that sends faster than the pipeline takes is paused (its TCP
      // window fills) rather than queued here without bound.
      if (arrived.length >= HIGH_WATER) from.pause()
      this.#changed.notify()
    }
    try {
      ws = await dialWebSocket(this.dial, signal, onMessage)
      if (this.open) ws.send(this.open.binary ? Buffer.from(this.open.data) : this.open.data, { binary: this.open.binary })
    } catch (err) {
      if (signal.aborted) throw err
      // max_retries counts retries: the first attempt is not one.
      if (this.maxRetries !== undefined && ++this.#failures > this.maxRetries) {
        this.#gaveUp = true
        return
      }
      throw err
    }
    this.#failures = 0
    this.#queue = arrived
    ws.once('close', () => {
      if (this.#ws === ws) this.#ws = undefined
      this.#changed.notify()
    })
    this.#ws = ws
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      const since = this.#changed.seq
      if (this.#gaveUp) return END_OF_INPUT
      const data = this.#queue.shift()
      if (this.#queue.length === LOW_WATER) this.#ws?.resume()
      if (data !== undefined) return { batch: [new Message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))], ack: () => {} }
      if (!this.#ws) throw new NotConnectedError()
      await this.#changed.wait(signal, since)
    }
  }

  async close(): Promise<void> {
    const ws = this.#ws
    this.#ws = undefined
    ws?.close()
    this.#changed.notify()
  }
}
