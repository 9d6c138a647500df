/**
 * Between NATS messages and Weir messages: received headers and delivery info become metadata
 * (the reference's keys, `nats_subject`, `nats_sequence_stream`, ...), and on the way out a
 * message's `headers` interpolations and filtered metadata become NATS headers.
 */
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node'
import type { JsMsg } from '@nats-io/jetstream'
import type { Value } from '../../value/index.js'
import type { Message } from '../../message/message.js'
import type { Interpolation } from '../../bloblang/index.js'
import type { MetadataFilter } from '../shared/metadata-filter.js'

/** Header values as metadata (the first value of each key); empty values are skipped when `skipEmpty`. */
export function headersInto(meta: Map<string, Value>, h: MsgHdrs | undefined, skipEmpty: boolean): void {
  if (!h) return
  for (const k of h.keys()) {
    const v = h.get(k)
    if (skipEmpty && v === '') continue
    meta.set(k, v)
  }
}

/** The reference's JetStream metadata for one delivered message. */
export function jetStreamMetadata(m: JsMsg): Map<string, Value> {
  const meta = new Map<string, Value>()
  meta.set('nats_subject', m.subject)
  const i = m.info
  meta.set('nats_sequence_stream', String(i.streamSequence))
  meta.set('nats_sequence_consumer', String(i.deliverySequence))
  meta.set('nats_num_delivered', String(i.deliveryCount))
  meta.set('nats_num_pending', String(i.pending))
  meta.set('nats_domain', i.domain)
  meta.set('nats_consumer', i.consumer)
  meta.set('nats_timestamp_unix_nano', String(i.timestampNanos))
  headersInto(meta, m.headers, true)
  return meta
}

/** Headers for an outgoing message, or undefined when there are none. */
export function outgoingHeaders(
  msg: Message,
  batch: readonly Message[],
  index: number,
  explicit: ReadonlyArray<[string, Interpolation]>,
  filter: MetadataFilter | undefined,
): MsgHdrs | undefined {
  if (explicit.length === 0 && (!filter || filter.empty)) return undefined
  const h = natsHeaders()
  for (const [k, expr] of explicit) h.append(k, expr.string(batch, index))
  filter?.walk(msg, (k, v) => h.append(k, v))
  return h
}
