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
      // Resources are declared beside the stream in the example, built by the host here.
      const caches = (conf.cache_resources ?? []) as { label: string }[]
      delete conf.cache_resources
      const resources = { cache: Object.fromEntries(caches.map(({ label, ...rest }) => [label, rest])) }
      conf.input ??= { generate: { count: 1, interval: '', mapping: 'root = {}' } }
      conf.output ??= { drop: {} }
      const h = await startStream(t, conf, { id: `ex_${spec.name}`, resources })
      assert.equal(h.stream.statuses().length, 2)
    })
  }
}
