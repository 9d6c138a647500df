/**
 * Runs a fuzz property in a worker thread so a hang or a crash is caught and named, not suffered:
 * synchronous code (a parser, a mapping) cannot be interrupted from its own thread. Before each
 * case the worker writes the case's text into shared memory; the main thread polls it and ends
 * the worker when one case runs past its deadline, reporting that case's text.
 */
import { Worker } from 'node:worker_threads'

/** Shared layout: [counter, running, label length] then the label bytes. */
const HEADER_INTS = 3
const LABEL_BYTES = 64 * 1024

export interface WatchedRun {
  /** `fc.assert` passed. */
  ok: boolean
  /** fast-check's report, or how the worker died (hang, crash, out of memory). */
  report: string
  cases: number
  /** Slowest case seen, in ms (a figure to report, never asserted). */
  slowestMs: number
  totalMs: number
}

export interface WatchOptions {
  /** A case running longer than this is a hang (generous: the machine is busy). */
  caseDeadlineMs: number
  /** Passed to the worker as `workerData.params`. */
  params: unknown
  /** Heap limit of the worker, so a runaway allocation is a reported failure, not a dead host. */
  heapMb?: number
}

/** Starts `workerUrl` (a module that calls `watchedProperty`) and waits for its verdict. */
export function runWatched(workerUrl: URL, opts: WatchOptions): Promise<WatchedRun> {
  const shared = new SharedArrayBuffer(HEADER_INTS * 4 + LABEL_BYTES)
  const ints = new Int32Array(shared, 0, HEADER_INTS)
  const label = new Uint8Array(shared, HEADER_INTS * 4)
  const started = Date.now()
  const worker = new Worker(workerUrl, {
    workerData: { shared, params: opts.params },
    resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 512 },
    stdout: false,
    stderr: false,
  })
  return new Promise((resolve) => {
    let lastCount = -1
    let lastChange = Date.now()
    let slowestMs = 0
    let done = false
    const currentCase = (): string => new TextDecoder().decode(label.subarray(0, Atomics.load(ints, 2)))
    const finish = (ok: boolean, report: string, cases?: number): void => {
      if (done) return
      done = true
      clearInterval(timer)
      void worker.terminate()
      resolve({ ok, report, cases: cases ?? Atomics.load(ints, 0), slowestMs, totalMs: Date.now() - started })
    }
    const timer = setInterval(() => {
      const count = Atomics.load(ints, 0)
      const now = Date.now()
      if (count !== lastCount) {
        lastCount = count
        lastChange = now
        return
      }
      if (Atomics.load(ints, 1) === 1) {
        slowestMs = Math.max(slowestMs, now - lastChange)
        if (now - lastChange > opts.caseDeadlineMs) finish(false, `case ${count} still running after ${opts.caseDeadlineMs} ms (a hang):\n${currentCase()}`)
      }
    }, 50)
    worker.on('message', (m: { ok: boolean; report: string; cases: number; slowestMs: number }) => {
      slowestMs = Math.max(slowestMs, m.slowestMs)
      finish(m.ok, m.report, m.cases)
    })
    worker.on('error', (err: Error & { code?: string }) => finish(false, `worker died (${err.code ?? err.name}: ${err.message}) during case ${Atomics.load(ints, 0)}:\n${currentCase()}`))
    worker.on('exit', (code) => finish(false, `worker exited with code ${code} during case ${Atomics.load(ints, 0)}:\n${currentCase()}`))
  })
}

/** Worker side: records each case before running it, so the main thread can name a hang. */
export class CaseRecorder {
  readonly #ints: Int32Array
  readonly #label: Uint8Array
  readonly #encoder = new TextEncoder()
  #caseStart = 0
  slowestMs = 0

  constructor(shared: SharedArrayBuffer) {
    this.#ints = new Int32Array(shared, 0, HEADER_INTS)
    this.#label = new Uint8Array(shared, HEADER_INTS * 4)
  }

  get cases(): number {
    return Atomics.load(this.#ints, 0)
  }

  /** Runs one case; `describe` is what a hang report shows. */
  run<T>(describe: () => string, fn: () => T): T {
    const { written } = this.#encoder.encodeInto(describe(), this.#label)
    Atomics.store(this.#ints, 2, written)
    Atomics.add(this.#ints, 0, 1)
    Atomics.store(this.#ints, 1, 1)
    this.#caseStart = performance.now()
    try {
      return fn()
    } finally {
      this.slowestMs = Math.max(this.slowestMs, performance.now() - this.#caseStart)
      Atomics.store(this.#ints, 1, 0)
    }
  }
}
