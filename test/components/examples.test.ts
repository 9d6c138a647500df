/**
 * Every documented component example is a test (issue 12 item 9): its config runs in a real stream
 * (the harness under test/stream/), its `input` is supplied from outside, and what comes out must
 * equal its `output`. An example without expected output fails unless it is exempt below, with a
 * reason (only examples that need services outside the test, a second stream, or input that is
 * not text may be).
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
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
  'processor http "Enrich each message of a batch in parallel"':
    'calls a fixed address (127.0.0.1:8080) standing for an outside enrichment service',
  'input http_client "Basic Pagination"': 'polls a fixed address (127.0.0.1:8080) standing for an outside paginated API',
  'output retry "Retry an HTTP endpoint three times"': 'its child posts to a fixed address (127.0.0.1:4195) standing for an outside service',
  'output drop_on "Dropping failed HTTP requests"':
    'its dropping child posts to a fixed address (127.0.0.1:4195) standing for an outside service; what it drops depends on that service',
  'input inproc "Read what another stream sends to `events`"': 'needs a second stream writing to the `events` pipe',
  'output inproc "Send to the stream reading `events`"': 'needs a second stream reading the `events` pipe',
  'scanner decompress "Gzipped log lines"': 'its input is gzip-compressed bytes, which an example message (text) cannot hold',
}

type Item = NonNullable<ComponentExample['input']>[number]

/** Feeds an example's `input` messages (with metadata) and ends. */
const feed = defineComponent({
  kind: 'input',
  name: 'example_feed',
  config: f.object('', [f.array(f.any('messages', { default: [] }))]),
  // The example's messages as ONE batch: batch-wide processors (archive, group_by, while) see it whole.
  build: (conf): Input => {
    let pending = conf.messages.length > 0
    return {
      connect: async () => {},
      connected: () => true,
      close: async () => {},
      async read() {
        if (!pending) return END_OF_INPUT
        pending = false
        const batch = (conf.messages as Item[]).map((next) => {
          const item = typeof next === 'string' ? { content: next } : next
          return new Message(item.content, new Map(Object.entries(item.metadata ?? {}).map(([k, v]) => [k, String(v)])))
        })
        return { batch, ack: () => {} }
      },
    }
  },
})

const EXTRA: ComponentSpec[] = [feed, captureOutput]

/** How an input example's `input` reaches the component from outside. */
const SUPPLY: Readonly<Record<string, (h: Harness, conf: Record<string, unknown>, input: readonly Item[], dir: string) => Promise<void> | void>> = {
  http_server: async (h, conf, input) => {
    const path = String((conf.http_server as { path?: string }).path ?? '/post').replace(/\/$/, '')
    for (const item of input) {
      const r = await fetch(`${h.base}/ex${path}`, { method: 'POST', body: typeof item === 'string' ? item : item.content })
      assert.equal(r.status, 200, await r.text())
    }
  },
  // These produce by themselves, or read files written before the stream starts (`writeInputFiles`).
  generate: () => {},
  file: () => {},
  broker: () => {},
  sequence: () => {},
  read_until: () => {},
  batched: () => {},
  resource: () => {},
  subprocess: () => {},
}

/** Inputs whose example ends by itself: all it produced must be the example's output, no more. */
const ENDS = new Set(['file', 'broker', 'sequence', 'read_until', 'batched', 'subprocess'])

/**
 * An example that reads files (a `file` input anywhere in its input config) finds its `input` in
 * every file its globs name (`./data/*.csv` → `./data/example.csv`): lines for an input example,
 * the file's bytes in pieces for a scanner example.
 */
function writeInputFiles(kind: string, conf: unknown, input: readonly Item[], dir: string): void {
  const texts = input.map((i) => (typeof i === 'string' ? i : i.content))
  const content = kind === 'scanner' ? texts.join('') : texts.map((l) => `${l}\n`).join('')
  for (const path of filePaths(conf)) {
    const target = join(dir, path.replace(/\*\*\//g, '').replace(/\*/g, 'example'))
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, content)
  }
}

/** The `paths` of every `file` input in a config tree. */
function filePaths(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(filePaths)
  if (node === null || typeof node !== 'object') return []
  return Object.entries(node).flatMap(([k, v]) => {
    const paths = k === 'file' && v !== null && typeof v === 'object' ? (v as { paths?: unknown }).paths : undefined
    return Array.isArray(paths) ? paths.map(String) : filePaths(v)
  })
}

/** Lines of every file under `./data`, files in name order. */
const dataFiles = (dir: string): string[] =>
  readdirSync(join(dir, 'data'))
    .sort()
    .flatMap((name) => readFileSync(join(dir, 'data', name), 'utf8').split('\n').filter((l) => l !== ''))

/** What an output example left at its destination. */
const OBSERVE: Readonly<Record<string, (dir: string) => string[]>> = {
  file: dataFiles,
  broker: dataFiles,
  switch: dataFiles,
  reject: dataFiles,
  reject_errored: dataFiles,
  fallback: dataFiles,
  resource: dataFiles,
  // A file cache under ./data: one file per key.
  cache: dataFiles,
}

/** Outputs that clients pull from while the stream runs: what they got. */
const PULL: Readonly<Record<string, (h: Harness, conf: Record<string, unknown>, count: number) => Promise<string[]>>> = {
  // One poll takes one batch; the example's batch holds one message, sent as its bytes.
  http_server: async (h, conf, count) => {
    const path = String((conf.http_server as { path?: string }).path ?? '/get')
    const got: string[] = []
    while (got.length < count) {
      const r = await fetch(`${h.base}/ex${path}`)
      assert.equal(r.status, 200)
      got.push(await r.text())
    }
    return got
  },
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
  writeInputFiles(spec.kind, conf.input, input, dir)
  // A file cache, like the reference's, expects its directory to exist.
  for (const c of Object.values(resources.cache ?? {})) {
    const directory = (c as { file?: { directory?: unknown } }).file?.directory
    if (typeof directory === 'string') mkdirSync(join(dir, directory), { recursive: true })
  }
  const sink = `example ${key}`
  capture(sink).texts.length = 0
  if (spec.kind === 'input') {
    const supply = SUPPLY[spec.name]
    assert.ok(supply, `${key}: no way to supply input to a ${spec.name} input here; add one to SUPPLY`)
    const h = await startStream(t, { ...conf, output: { capture: { name: sink } } }, { id: 'ex', extraSpecs: EXTRA, logLevel: 'OFF', resources })
    await supply(h, conf.input as Record<string, unknown>, input, dir)
    // An input may go on producing (generate); its first messages are the example's.
    const got = await until(`${want.length} messages from ${key}`, () => capture(sink).texts.length >= want.length && capture(sink).texts, 15_000)
    // A broker reads its children in parallel: the order across children is not defined.
    const order = spec.name === 'broker' ? (l: string[]) => [...l].sort() : (l: string[]) => l
    assert.deepEqual(order(got.slice(0, want.length)), order(want))
    if (ENDS.has(spec.name)) {
      await deadline(h.stream.finished, 15_000, `${key} to finish`)
      assert.deepEqual(order(capture(sink).texts), order(want), `${key}: nothing more than the example's output`)
    }
    return
  }
  const h = await startStream(
    t,
    { input: { example_feed: { messages: input } }, output: { capture: { name: sink } }, ...conf },
    { id: 'ex', extraSpecs: EXTRA, logLevel: 'OFF', resources },
  )
  const pull = spec.kind === 'output' ? PULL[spec.name] : undefined
  const pulled = pull && (await pull(h, conf.output as Record<string, unknown>, want.length))
  await deadline(h.stream.finished, 15_000, `${key} to finish`)
  if (pulled) {
    assert.deepEqual(pulled, want)
    return
  }
  if (spec.kind === 'output') {
    const observe = OBSERVE[spec.name]
    assert.ok(observe, `${key}: no way to observe a ${spec.name} output here; add one to OBSERVE`)
    assert.deepEqual(observe(dir), want)
    return
  }
  assert.deepEqual(capture(sink).texts.map(jsonOrText), want.map(jsonOrText))
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

/** JSON compared as values (key order and spacing are not the example's point), other text as is. */
function jsonOrText(s: string): unknown {
  try {
    return JSON.parse(s) as unknown
  } catch {
    return s
  }
}
