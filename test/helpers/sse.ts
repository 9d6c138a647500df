/**
 * A server-sent events client for tests: reads a fetch body and hands each event over as it
 * arrives, with a way to wait for the next matching one (with a deadline) and to leave.
 */
export interface SseEvent {
  event: string
  data: string
  id?: string
}

export interface SseClient {
  status: number
  /** Every event read so far, in order. */
  events: SseEvent[]
  /** The next event (from `from` on, default: the ones not yet waited for) passing `pred`. */
  next(pred: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>
  /** Ends the request (the server sees the client leave). */
  close(): void
  /** Resolves when the server ended the feed. */
  ended: Promise<void>
}

export async function openSse(url: string, init: RequestInit = {}): Promise<SseClient> {
  const abort = new AbortController()
  const res = await fetch(url, { ...init, signal: abort.signal, headers: { Accept: 'text/event-stream', ...(init.headers ?? {}) } })
  const events: SseEvent[] = []
  const waiters = new Set<() => void>()
  let cursor = 0
  let finished = false
  const wake = (): void => {
    for (const w of [...waiters]) w()
  }
  const ended = (async () => {
    if (!res.body) return
    const decoder = new TextDecoder()
    let buf = ''
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true })
        let i
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, i)
          buf = buf.slice(i + 2)
          const e: SseEvent = { event: 'message', data: '' }
          const data: string[] = []
          let any = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line === '') continue
            const colon = line.indexOf(':')
            const field = colon === -1 ? line : line.slice(0, colon)
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
            if (field === 'event') e.event = value
            else if (field === 'data') data.push(value)
            else if (field === 'id') e.id = value
            else continue
            any = true
          }
          if (!any) continue
          e.data = data.join('\n')
          events.push(e)
        }
        wake()
      }
    } catch {
      /* aborted by close() */
    } finally {
      finished = true
      wake()
    }
  })()
  return {
    status: res.status,
    events,
    next: (pred, timeoutMs = 60_000) =>
      new Promise<SseEvent>((resolve, reject) => {
        const deadline = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no matching event within ${timeoutMs} ms; got: ${JSON.stringify(events.slice(-5))}`))
        }, timeoutMs)
        const check = (): void => {
          while (cursor < events.length) {
            const e = events[cursor++]!
            if (pred(e)) {
              clearTimeout(deadline)
              waiters.delete(check)
              return resolve(e)
            }
          }
          if (finished) {
            clearTimeout(deadline)
            waiters.delete(check)
            reject(new Error(`the feed ended; got: ${JSON.stringify(events.slice(-5))}`))
          }
        }
        waiters.add(check)
        check()
      }),
    close: () => abort.abort(),
    ended,
  }
}
