/**
 * Every documented component example is a test (issue 12 item 9): its config runs in a real stream
 * (the harness under test/stream/), its `input` is supplied from outside, and what comes out must
 * equal its `output`. An example without expected output fails unless it is exempt below, with a
 * reason (only examples that need services outside the test may be).
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { BUILTIN_SPECS } from '../../src/components/registry.js'
import { defineComponent, f, type ComponentExample, type ComponentSpec } from '../../src/spec/index.js'
import { END_OF_INPUT, type Input } from '../../src/spec/index.js'
import { Message } from '../../src/message/message.js'
import { deadline, startStream, tempDir, until, type Harness } from '../stream/harness.js'
import { capture, captureOutput } from '../stream/test-components.js'

const EXEMPT: Readonly<Record<string, string>> = {
  'output http_client "Post each message as JSON"':
    'posts to a fixed address (127.0.0.1:8080) standing for an outside service; delivery is covered against a loopback server by test/isolation/http-client.test.ts',
}

type Item = NonNullable<ComponentExample['input']>[number]

/** Feeds an example's `input` messages (with metadata) and ends. */
const feed = defineComponent({
  kind: 'input',
  name: 'example_feed',
  config: f.object('', [f.array(f.any('messages', { default: [] }))]),
  build: (conf): Input => {
    const queue = [...(conf as { messages: Item[] }).messages]
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        const next = queue.shift()
        if (next === undefined) return END_OF_INPUT
        const item = typeof next === 'string' ? { content: next } : next
        return { batch: [new Message(item.content, new Map(Object.entries(item.metadata ?? {}).map(([k, v]) => [k, String(v)])))], ack: () => {} }
      },
    }
  },
})

const EXTRA: ComponentSpec[] = [feed, captureOutput]

/** How an input example's `input` reaches the component from outside. */
const SUPPLY: Readonly<Record<string, (h: Harness, conf: Record<string, unknown>, input: readonly Item[], dir: string) => Promise<void> | void>> = {
  generate: () => {},
  http_server: async (h, conf, input) => {
    const path = String((conf.http_server as { path?: string }).path ?? '/post').replace(/\/$/, '')
    for (const item of input) {
      const r = await fetch(`${h.base}/ex${path}`, { method: 'POST', body: typeof item === 'string' ? item : item.content })
      assert.equal(r.status, 200, await r.text())
    }
  },
  // Written before the stream starts (see `PREPARE`).
  file: () => {},
}

/** Inputs that read their `input` from disk: it is written before the stream starts. */
const PREPARE: Readonly<Record<string, (input: readonly Item[], dir: string) => void>> = {
  file: (input, dir) => {
    mkdirSync(join(dir, 'data'), { recursive: true })
    writeFileSync(join(dir, 'data', 'example.csv'), input.map((i) => (typeof i === 'string' ? i : i.content)).join('\n') + '\n')
  },
}

/** What an output example left at its destination. */
const OBSERVE: Readonly<Record<string, (dir: string) => string[]>> = {
  file: (dir) =>
    readdirSync(join(dir, 'data'))
      .sort()
      .flatMap((name) => readFileSync(join(dir, 'data', name), 'utf8').split('\n').filter((l) => l !== '')),
}

/** Runs in a fresh working directory: examples use relative paths (`./data/...`). */
function inTempCwd(t: TestContext): string {
  const dir = tempDir(t)
  const before = process.cwd()
  process.chdir(dir)
  t.after(() => process.chdir(before))
  return dir
}

/** Resource lists in an example are declared with the host, as `weir streams` does. */
function withoutResources(conf: Record<string, unknown>): Record<string, Record<string, unknown>> {
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
  return resources
}

async function runExample(t: TestContext, spec: ComponentSpec, ex: ComponentExample, key: string): Promise<void> {
  const conf = parse(ex.config) as Record<string, unknown>
  const resources = withoutResources(conf)
  const want = ex.output!.map((o) => (typeof o === 'string' ? o : o.content))
  const wantMeta = ex.output!.map((o) => (typeof o === 'string' ? {} : (o.metadata ?? {})))
  const input = ex.input ?? []
  const dir = inTempCwd(t)
  const sink = `example ${key}`
  capture(sink).texts.length = 0
  if (spec.kind === 'input') {
    const supply = SUPPLY[spec.name]
    assert.ok(supply, `${key}: no way to supply input to a ${spec.name} input here; add one to SUPPLY`)
    PREPARE[spec.name]?.(input, dir)
    const h = await startStream(t, { ...conf, output: { capture: { name: sink } } }, { id: 'ex', extraSpecs: EXTRA, logLevel: 'OFF', resources })
    await supply(h, conf.input as Record<string, unknown>, input, dir)
    // An input may go on producing (generate); its first messages are the example's.
    const got = await until(`${want.length} messages from ${key}`, () => capture(sink).texts.length >= want.length && capture(sink).texts, 15_000)
    assert.deepEqual(got.slice(0, want.length), want)
    return
  }
  const h = await startStream(
    t,
    { input: { example_feed: { messages: input } }, output: { capture: { name: sink } }, ...conf },
    { id: 'ex', extraSpecs: EXTRA, logLevel: 'OFF', resources },
  )
  await deadline(h.stream.finished, 15_000, `${key} to finish`)
  if (spec.kind === 'output') {
    const observe = OBSERVE[spec.name]
    assert.ok(observe, `${key}: no way to observe a ${spec.name} output here; add one to OBSERVE`)
    assert.deepEqual(observe(dir), want)
    return
  }
  assert.deepEqual(capture(sink).texts, want)
  for (const [i, meta] of wantMeta.entries()) {
    for (const [k, v] of Object.entries(meta)) assert.equal(capture(sink).metas[i]![k], String(v), `${key}: metadata ${k} of message ${i}`)
  }
}

for (const spec of BUILTIN_SPECS) {
  for (const ex of spec.examples ?? []) {
    const key = `${spec.kind} ${spec.name} "${ex.title}"`
    test(`${key}: output as documented`, async (t) => {
      const reason = EXEMPT[key]
      if (reason) {
        assert.equal(ex.output, undefined, `${key} is exempt but has an expected output: drop the exemption`)
        // Still must build: docs cannot drift from the specs.
        const conf = parse(ex.config) as Record<string, unknown>
        const resources = withoutResources(conf)
        const h = await startStream(t, { input: { example_feed: {} }, output: { drop: {} }, ...conf }, { id: 'ex', extraSpecs: EXTRA, logLevel: 'OFF', resources })
        assert.equal(h.stream.statuses().length, 2)
        t.diagnostic(`exempt: ${reason}`)
        return
      }
      assert.ok(ex.output, `${key} has no expected output: give it input/output, or an exemption with a reason`)
      await runExample(t, spec, ex, key)
    })
  }
}

test('every exemption names an existing example', () => {
  const keys = new Set(BUILTIN_SPECS.flatMap((s) => (s.examples ?? []).map((ex) => `${s.kind} ${s.name} "${ex.title}"`)))
  for (const k of Object.keys(EXEMPT)) assert.ok(keys.has(k), `stale exemption: ${k}`)
})
