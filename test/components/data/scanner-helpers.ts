/** Builds scanners from config through the real registry (nested `into` scanners included). */
import { Readable } from 'node:stream'
import { defaultRegistry } from '../../../src/components/registry.js'
import { resolveComponent } from '../../../src/config/component.js'
import type { ComponentContext, ComponentKind, InstanceOf, Resources, Scanner } from '../../../src/spec/index.js'
import { createLogger } from '../../../src/util/logger.js'
import { WorkerMetrics } from '../../../src/metrics/worker-metrics.js'
import { settings } from '../../stream/harness.js'

const registry = defaultRegistry()
const metrics = new WorkerMetrics('', { mapping: '', useHistogramTiming: false, histogramBuckets: [], summaryQuantiles: [] })

async function build<K extends ComponentKind>(kind: K, raw: unknown, path: string): Promise<InstanceOf<K>> {
  const r = resolveComponent(kind, raw, registry, path)
  const ctx: ComponentContext = {
    stream: '',
    path,
    label: '',
    logger: createLogger(settings('OFF'), {}),
    metrics: metrics.view(path, ''),
    resources: undefined as unknown as Resources,
    endpoints: { register: () => {} },
    configDir: '',
    build: (k, conf, rel) => build(k, conf, `${path}.${rel}`),
    signal: new AbortController().signal,
  }
  return r.spec.build(r.conf, ctx)
}

export function scanner(conf: Record<string, unknown>): Promise<Scanner> {
  return build('scanner', conf, 'input.stdin.scanner')
}

export interface Scanned {
  texts: string[]
  metas: Record<string, string>[]
  errors: string[]
}

/** Every message a scanner yields for `chunks` (fed chunk by chunk, as a file or stdin would). */
export async function scan(conf: Record<string, unknown>, chunks: (string | Uint8Array)[]): Promise<Scanned> {
  const s = await scanner(conf)
  const r = s.open(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c)))))
  const out: Scanned = { texts: [], metas: [], errors: [] }
  for (let b = await r.next(); b; b = await r.next()) {
    for (const m of b) {
      out.texts.push(m.text())
      out.metas.push(Object.fromEntries([...m.metadata.keys()].map((k) => [k, m.metaString(k) ?? ''])))
      out.errors.push(m.error?.message ?? '')
    }
  }
  await s.close()
  return out
}
