/**
 * A nack that names which messages of a batch failed (the reference's `batch.Error`): its text is
 * the first error's, and `failed` maps message indexes to their own errors. `fallback` forwards
 * only the failed messages to its next tier; `switch` and `reject_errored` build them.
 */
export class BatchError extends Error {
  readonly failed = new Map<number, Error>()

  constructor(first: Error) {
    super(first.message)
    this.name = 'BatchError'
  }

  fail(index: number, err: Error): this {
    this.failed.set(index, err)
    return this
  }
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
