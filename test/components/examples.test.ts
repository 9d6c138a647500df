import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parse } from 'yaml'
import { BUILTIN_SPECS } from '../../src/components/registry.js'
import { startStream } from '../stream/harness.js'

// Every documented example must build (docs cannot drift from the specs).
for (const spec of BUILTIN_SPECS) {
  for (const ex of spec.examples ?? []) {
    test(`${spec.kind} ${spec.name} example "${ex.title}" builds`, async (t) => {
      const conf = parse(ex.config) as Record<string, unknown>
      conf.input ??= { generate: { count: 1, interval: '', mapping: 'root = {}' } }
      conf.output ??= { drop: {} }
      // Resource lists in an example are declared with the host, as `weir streams` does.
      const resources: Record<string, Record<string, unknown>> = {}
      for (const kind of ['cache', 'rate_limit', 'input', 'output', 'processor'] as const) {
        const list = conf[`${kind}_resources`]
        delete conf[`${kind}_resources`]
        if (!Array.isArray(list)) continue
        for (const item of list as Record<string, unknown>[]) {
          const { label, ...rest } = item
          ;(resources[kind] ??= {})[String(label)] = rest
        }
      }
      const h = await startStream(t, conf, { id: `ex_${spec.name}`, resources })
      assert.equal(h.stream.statuses().length, 2)
    })
  }
}
