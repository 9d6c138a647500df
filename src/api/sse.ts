/**
 * Server-sent event responses for the status page's feeds (`/ui/summaries`) and the live tap
 * (`/streams/{id}/tap`). A feed ends when the client leaves (the body is cancelled), when its
 * source ends it, or when the server shuts down: an open feed must not hold `server.close()`.
 */

/** Comment lines keep proxies and browsers from timing an idle feed out. */
const KEEPALIVE_MS = 15_000
/** Browsers reconnect after this long when a feed ends (a restarted stream, say). */
const RETRY_MS = 1000

const encoder = new TextEncoder()

export interface SseSink {
  send(event: string, data: unknown, id?: number): void
  /** Ends the response (once); the feed's cleanup runs. */
  end(): void
}

/** Starts a feed on `sink`; returns its cleanup, run once however the feed ends. */
export type SseFeed = (sink: SseSink) => () => void

export class SseHub {
  readonly #open = new Set<() => void>()
  #closed = false

  respond(feed: SseFeed): Response {
    let cleanup: (() => void) | undefined
    let finished = false
    let timer: NodeJS.Timeout | undefined
    let ender: (() => void) | undefined
    const stop = (): void => {
      if (finished) return
      finished = true
      clearInterval(timer)
      if (ender) this.#open.delete(ender)
      cleanup?.()
    }
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const write = (text: string): void => {
          if (finished) return
          try {
            controller.enqueue(encoder.encode(text))
          } catch {
            stop()
          }
        }
        const sink: SseSink = {
          send: (event, data, id) => write(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`),
          end: () => {
            if (finished) return
            stop()
            try {
              controller.close()
            } catch {
              /* already cancelled by the client */
            }
          },
        }
        if (this.#closed) {
          sink.end()
          return
        }
        write(`retry: ${RETRY_MS}\n\n`)
        ender = sink.end
        this.#open.add(ender)
        timer = setInterval(() => write(': keepalive\n\n'), KEEPALIVE_MS)
        timer.unref()
        cleanup = feed(sink)
        // The feed may have ended itself while starting.
        if (finished) cleanup()
      },
      cancel: () => stop(),
    })
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        'X-Accel-Buffering': 'no',
      },
    })
  }

  /** Ends every open feed (server shutdown); feeds opened later end at once. */
  closeAll(): void {
    this.#closed = true
    for (const end of [...this.#open]) end()
  }
}
