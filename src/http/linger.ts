import type { Socket } from 'node:net'

/** How long a connection answered with unread body bytes keeps reading (Go: rstAvoidanceDelay, 500 ms). */
export const LINGER_MS = 500

/**
 * Closes the connection the way Go's server does after an answer that left part of the request
 * body unread (a 413): half-close, keep reading and dropping what the client still sends, destroy
 * a moment later. Node destroys the socket as soon as the response is flushed; with bytes still
 * arriving the kernel then resets the connection, and a client that is still uploading loses the
 * 413 it was sent.
 */
export function lingerOnClose(socket: Socket | null | undefined, ms = LINGER_MS): void {
  if (!socket || socket.destroyed) return
  socket.destroySoon = function (this: Socket): void {
    if (this.writable) this.end()
    this.resume()
    setTimeout(() => this.destroy(), ms).unref()
  }
}
