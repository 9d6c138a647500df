/**
 * `nats_kv` output (the reference's `output_kv.go`): puts each message's bytes under its
 * interpolated `key` in a bucket that must exist. A write is done when the server acknowledged
 * the put.
 */
import type { Batch } from '../../message/message.js'
import { compileInterpolation } from '../../bloblang/index.js'
import { defineComponent, f, type ComponentContext, type Output } from '../../spec/index.js'
import { atField, invalid } from '../shared/field-error.js'
import { checkMaxInFlight, maxInFlightField } from '../shared/max-in-flight.js'
import { connectionHeadFields, connectionTailFields } from './connection.js'
import { bucketField, KvHandle, kvSettings } from './kv.js'

export default defineComponent({
  kind: 'output',
  name: 'nats_kv',
  status: 'stable',
  summary: 'Put messages in a NATS key-value bucket.',
  config: f.object('', [
    ...connectionHeadFields,
    bucketField,
    f.interp('key', { description: 'The key for each message.' }),
    maxInFlightField(1024),
    ...connectionTailFields,
  ]),
  build: (c, ctx): Output => {
    if (c.key === '') throw invalid('key', "'key' must be set to a non-empty string")
    checkMaxInFlight(c.max_in_flight)
    const key = atField('key', () => compileInterpolation(c.key))
    const handle = new KvHandle(kvSettings(c, ctx), ctx)
    return new KvOutput(handle, (b, i) => key.string(b, i), c.max_in_flight, ctx)
  },
})

class KvOutput implements Output {
  constructor(
    readonly handle: KvHandle,
    readonly key: (batch: Batch, i: number) => string,
    readonly maxInFlight: number,
    readonly ctx: ComponentContext,
  ) {}

  async connect(signal: AbortSignal): Promise<void> {
    // The client reconnects by itself: after an outage the engine's connect waits for it.
    await this.handle.waitUp(signal, 10_000)
    await this.handle.open()
  }

  watchConnection(onChange: () => void): void {
    this.handle.watch(onChange)
  }

  connected(): boolean {
    return this.handle.up
  }

  async write(batch: Batch): Promise<void> {
    const kv = this.handle.current()
    await Promise.all(
      batch.map((m, i) => {
        let k: string
        try {
          k = this.key(batch, i)
        } catch (err) {
          throw new Error(`failed string interpolation on field "key": ${err instanceof Error ? err.message : String(err)}`)
        }
        return kv.put(k, m.bytes())
      }),
    )
  }

  close(): Promise<void> {
    return this.handle.close()
  }
}
