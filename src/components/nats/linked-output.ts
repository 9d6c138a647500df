/**
 * What the `nats` and `nats_jetstream` outputs share: one connection per output, reopened only
 * once the client gave up on it (it reconnects by itself otherwise), and whose ups and downs the
 * engine watches to report the output's status.
 */
import type { ComponentContext } from '../../spec/index.js'
import { NatsLink, type NatsConnectionOptions } from './connection.js'
import type { Addressing } from './output-fields.js'

export abstract class NatsLinkedOutput {
  readonly maxInFlight: number
  protected readonly addressing: Addressing
  readonly #conn: NatsConnectionOptions
  readonly #ctx: ComponentContext
  #link: NatsLink | undefined
  readonly #watchers: (() => void)[] = []

  constructor(conn: NatsConnectionOptions, addressing: Addressing, maxInFlight: number, ctx: ComponentContext) {
    this.#conn = conn
    this.addressing = addressing
    this.maxInFlight = maxInFlight
    this.#ctx = ctx
  }

  protected get link(): NatsLink | undefined {
    return this.#link
  }

  /** Lets a subclass build what it writes through from a newly opened connection. */
  protected opened(_link: NatsLink): void {}

  /** Lets a subclass drop what `opened` built, before the connection closes. */
  protected closing(): void {}

  async connect(signal: AbortSignal): Promise<void> {
    // The client reconnects by itself: after an outage the engine's connect waits for it.
    if (this.#link && !this.#link.closed) return this.#link.waitUp(signal, 10_000)
    const link = await NatsLink.open(this.#conn, { logger: this.#ctx.logger, metrics: this.#ctx.metrics })
    link.onChange(() => {
      for (const w of this.#watchers) w()
    })
    this.#link = link
    this.opened(link)
  }

  /** Told when the connection goes down or comes back (the engine's status follows). */
  watchConnection(onChange: () => void): void {
    this.#watchers.push(onChange)
  }

  connected(): boolean {
    return this.#link?.up === true
  }

  async close(): Promise<void> {
    const link = this.#link
    this.#link = undefined
    this.closing()
    await link?.close()
  }
}
