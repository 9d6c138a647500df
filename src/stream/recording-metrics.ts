/**
 * Metrics made inside a `pipeline.threads` pool thread: updates are recorded (counters summed,
 * gauges last value, timer observations each) and shipped back with the task's result, so the
 * stream's one registry still counts every processor.
 */
import type { MetricsView } from '../spec/index.js'
import type { MetricDelta } from '../protocol/messages.js'

export class RecordingMetrics {
  #summed = new Map<string, MetricDelta>()
  #timings: MetricDelta[] = []

  view(path: string, label: string): MetricsView {
    const keyed = (kind: 'counter' | 'gauge', name: string, labelNames: string[]) => (value: number, labelValues: string[] | undefined) => {
      const key = `${kind}\0${path}\0${label}\0${name}\0${labelValues?.join('\0') ?? ''}`
      const d = this.#summed.get(key)
      if (!d) this.#summed.set(key, { kind, path, label, name, labelNames, labelValues, value })
      else d.value = kind === 'counter' ? d.value + value : value
    }
    return {
      counter: (name, labelNames = []) => {
        const add = keyed('counter', name, labelNames)
        return { inc: (n = 1, lv) => add(n, lv) }
      },
      gauge: (name, labelNames = []) => {
        const set = keyed('gauge', name, labelNames)
        return { set: (v, lv) => set(v, lv) }
      },
      timer: (name, labelNames = []) => ({
        observe: (ns, labelValues) => void this.#timings.push({ kind: 'timer', path, label, name, labelNames, labelValues, value: ns }),
      }),
    }
  }

  /** The updates since the last call. */
  take(): MetricDelta[] {
    const out = [...this.#summed.values(), ...this.#timings]
    this.#summed.clear()
    this.#timings = []
    return out
  }
}

type Handle = { inc(n?: number, lv?: string[]): void } | { set(v: number, lv?: string[]): void } | { observe(ns: number, lv?: string[]): void }

/** Replays pool-thread updates on the stream's registry, binding each series once. */
export class MetricReplayer {
  readonly #metrics: (path: string, label: string) => MetricsView
  readonly #handles = new Map<string, Handle>()

  constructor(metrics: (path: string, label: string) => MetricsView) {
    this.#metrics = metrics
  }

  replay(deltas: readonly MetricDelta[]): void {
    for (const d of deltas) {
      const key = `${d.kind}\0${d.path}\0${d.label}\0${d.name}`
      let h = this.#handles.get(key)
      if (!h) {
        const view = this.#metrics(d.path, d.label)
        h = d.kind === 'counter' ? view.counter(d.name, d.labelNames) : d.kind === 'gauge' ? view.gauge(d.name, d.labelNames) : view.timer(d.name, d.labelNames)
        this.#handles.set(key, h)
      }
      if ('inc' in h) h.inc(d.value, d.labelValues)
      else if ('set' in h) h.set(d.value, d.labelValues)
      else h.observe(d.value, d.labelValues)
    }
  }
}
