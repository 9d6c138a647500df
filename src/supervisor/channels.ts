/**
 * The supervisor's lifecycle events, on named `diagnostics_channel`s declared in this one table
 * (as undici declares its own): in-process tests and tools subscribe instead of polling.
 */
import { channel } from 'node:diagnostics_channel'
import type { StreamState } from './stream-state.js'

export interface StreamStateEvent {
  stream: string
  from: StreamState
  to: StreamState
}

export const CHANNELS = {
  /** Every accepted state change of a stream. */
  streamState: channel('weir:stream:state'),
} as const

export function publishState(e: StreamStateEvent): void {
  if (CHANNELS.streamState.hasSubscribers) CHANNELS.streamState.publish(e)
}
