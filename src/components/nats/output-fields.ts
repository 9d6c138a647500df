/**
 * What the `nats` and `nats_jetstream` outputs share: the subject interpolation, explicit headers
 * and the metadata filter, compiled once with errors located at their field.
 */
import { compileInterpolation, type Interpolation } from '../../bloblang/index.js'
import type { Message } from '../../message/message.js'
import { f } from '../../spec/index.js'
import { atField } from '../shared/field-error.js'
import { metadataFilter, type MetadataFilter } from '../shared/metadata-filter.js'
import type { MsgHdrs } from '@nats-io/transport-node'
import { outgoingHeaders } from './metadata.js'

export const subjectField = f.interp('subject', { description: 'The subject to publish to (supports interpolation, e.g. foo.${! meta("type") }).' })
export const headersField = f.map(f.interp('headers', { default: {}, description: 'Explicit message headers to add to messages.' }))
export const metadataField = f.object('metadata', [f.array(f.string('include_prefixes', { default: [] })), f.array(f.string('include_patterns', { default: [] }))], {
  optional: true,
  description: 'Determine which (if any) metadata values should be added to messages as headers.',
})

/** One outgoing message's subject and headers. */
export class Addressing {
  readonly #subject: Interpolation
  readonly #headers: [string, Interpolation][]
  readonly #filter: MetadataFilter | undefined

  constructor(c: { subject: string; headers: Record<string, string>; metadata?: unknown }) {
    this.#subject = atField('subject', () => compileInterpolation(c.subject))
    this.#headers = Object.entries(c.headers).map(([k, v]) => [k, atField(`headers.${k}`, () => compileInterpolation(String(v)))])
    this.#filter = c.metadata === undefined ? undefined : metadataFilter(c.metadata, 'metadata')
  }

  subject(batch: readonly Message[], i: number): string {
    try {
      return this.#subject.string(batch, i)
    } catch (err) {
      throw new Error(`failed string interpolation on field "subject": ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  headers(batch: readonly Message[], i: number): MsgHdrs | undefined {
    try {
      return outgoingHeaders(batch[i]!, batch, i, this.#headers, this.#filter)
    } catch (err) {
      throw new Error(`failed string interpolation on headers: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
}
