/**
 * Code that waits only sometimes: an algorithm written as a generator that yields a promise
 * whenever it has to wait runs synchronously until the first such yield. The composition
 * processors use it so that, over synchronous children, they stay synchronous themselves and keep
 * a stream eligible for the engine's direct lane (see stream/stream.ts).
 */

/** A computation that yields promises it waits on and returns a T. */
export type Steps<T> = Generator<Promise<unknown>, T, unknown>

export function isPromise(v: unknown): v is Promise<unknown> {
  return typeof (v as { then?: unknown } | null)?.then === 'function'
}

/**
 * Runs `steps`: synchronously while it yields nothing, then asynchronously from the first promise
 * it yields (a rejection is thrown back into the generator).
 */
export function drive<T>(steps: Steps<T>): T | Promise<T> {
  const r = steps.next()
  if (r.done) return r.value
  return resume(steps, r.value)
}

async function resume<T>(steps: Steps<T>, first: Promise<unknown>): Promise<T> {
  let pending = first
  for (;;) {
    let value: unknown
    let failed = false
    try {
      value = await pending
    } catch (err) {
      failed = true
      value = err
    }
    const r = failed ? steps.throw(value) : steps.next(value)
    if (r.done) return r.value
    pending = r.value
  }
}

/** The value of `v`, waiting (by yielding) only when it is a promise. */
export function* wait<T>(v: T | Promise<T>): Steps<T> {
  return isPromise(v) ? ((yield v) as T) : v
}
