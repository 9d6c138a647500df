/**
 * Acknowledgement plumbing (spec §13.1, §13.3): a transaction split into several batches is acked
 * upstream once every part has been acked, with the first error if any part failed.
 */

export type AckFn = (err?: Error) => void

/**
 * `n` part-acks that together call `ack` once. Each part-ack may be called once; later calls are
 * ignored so a misbehaving component cannot double-ack upstream. `ack` itself must already ignore
 * repeated calls (the input layer's does), so a single part is `ack` unchanged.
 */
export function splitAck(n: number, ack: AckFn): AckFn[] {
  if (n === 1) return [ack]
  let remaining = n
  let firstErr: Error | undefined
  const parts: AckFn[] = []
  for (let i = 0; i < n; i++) {
    parts.push(
      once((err) => {
        if (err && !firstErr) firstErr = err
        if (--remaining === 0) ack(firstErr)
      }),
    )
  }
  return parts
}

/** An ack that ignores every call after the first. */
export function once(ack: AckFn): AckFn {
  let done = false
  return (err) => {
    if (done) return
    done = true
    ack(err)
  }
}
