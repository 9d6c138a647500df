/**
 * The one error an input or output throws to say "I lost my connection": the engine then counts
 * `*_connection_lost`, reconnects with back-off and (for outputs) retries the same batch, instead
 * of treating the failure as a nack (spec §13.2, §13.4).
 */
export class NotConnectedError extends Error {
  constructor(message = 'not connected to target source or sink') {
    super(message)
    this.name = 'NotConnectedError'
  }
}

export function isNotConnected(err: unknown): boolean {
  return err instanceof NotConnectedError
}
