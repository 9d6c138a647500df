/**
 * Closing a node:http server the way Go's `Server.Shutdown` does: stop listening, close idle
 * connections, and end every other connection after the response it is serving. node's own
 * `close()` waits for connections to go idle, which a client that keeps sending on a keep-alive
 * connection never lets happen (a shutdown under traffic then ran into its hard deadline).
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'

export interface ShutdownAware {
  /** `handle`, plus `Connection: close` on every response once closing. */
  listener: RequestListener
  close(server: Server): Promise<void>
}

export function shutdownAware(handle: (req: IncomingMessage, res: ServerResponse) => void): ShutdownAware {
  let closing = false
  return {
    listener: (req, res) => {
      if (closing) res.shouldKeepAlive = false
      handle(req, res)
    },
    close: (server) =>
      new Promise<void>((resolve) => {
        closing = true
        server.close(() => resolve())
        server.closeIdleConnections()
      }),
  }
}
