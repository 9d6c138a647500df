import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mappingTargets } from '../../src/bloblang/index.js'
import { WeirError } from '../../src/errors.js'
import { buildError, startStream, until, type Harness } from '../stream/harness.js'
import { capture, TEST_SPECS, type Captured } from '../stream/test-components.js'
import { batchAcks, batchInput } from './flow-support.js'

const SPECS = [...TEST_SPECS, batchInput]
let seq = 0

interface Run {
  out: Captured
  ack: string
  h: Harness
}

/** Runs `messages` as one batch through `processors`; resolves once the batch is acked. */
async function run(t: Parameters<typeof startStream>[0], processors: unknown[], messages: unknown[], logLevel = 'DEBUG'): Promise<Run> {
  const name = `flow_${++seq}`
  const h = await startStream(
    t,
    { input: { one_batch: { name, messages } }, pipeline: { processors }, output: { capture: { name } } },
    { id: name, extraSpecs: SPECS, logLevel },
  )
  const ack = await until(`${name} ack`, () => batchAcks.get(name)?.[0], 20_000)
  return { out: capture(name), ack, h }
}

const THROW_IF_BAD = { label: 'thrower', mapping: 'root = if this.bad == true { throw("boom") } else { this }' }

async function expectBuildError(processors: unknown[]): Promise<WeirError> {
  const err = await buildError({ input: { generate: { count: 1, interval: '', mapping: 'root = {}' } }, pipeline: { processors }, output: { drop: {} } })
  assert.ok(err instanceof WeirError, String(err))
  return err
}

// ---- try / catch / try_catch ------------------------------------------------------------------

test('try stops at the first error per message and leaves the others running', async (t) => {
  const r = await run(t, [{ try: [THROW_IF_BAD, { mutation: 'root.after = true' }] }], ['{"n":1}', '{"bad":true}', '{"n":3}'])
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ n: 1, after: true }, { bad: true }, { n: 3, after: true }])
  assert.deepEqual(r.out.errors, ['', 'failed assignment (line 1): boom', ''])
  assert.equal(r.ack, 'ok')
})

test('try skips messages that were flagged before the block', async (t) => {
  const r = await run(t, [THROW_IF_BAD, { try: [{ mutation: 'root.touched = true' }] }], ['{"bad":true}', '{"n":2}'])
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ bad: true }, { n: 2, touched: true }])
  assert.equal(r.out.errors[0], 'failed assignment (line 1): boom')
})

test('catch runs only on flagged messages, clears every flag, and a filter inside it drops just that message', async (t) => {
  const r = await run(
    t,
    [THROW_IF_BAD, { catch: [{ mapping: 'root = if this.drop == true { deleted() } else { {"caught": error()} }' }] }],
    ['{"n":1}', '{"bad":true}', '{"bad":true,"drop":true}'],
  )
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ n: 1 }, { caught: 'failed assignment (line 1): boom' }])
  assert.deepEqual(r.out.errors, ['', ''])
})

test('try_catch moves the error into metadata with the failing component, clears it, and runs catch', async (t) => {
  const r = await run(
    t,
    [{ try_catch: { processors: [THROW_IF_BAD, { mutation: 'root.after = true' }], catch: [{ mapping: 'root = @error' }] } }],
    ['{"bad":true}', '{"n":2}'],
  )
  assert.deepEqual(JSON.parse(r.out.texts[0]!), {
    what: 'failed assignment (line 1): boom',
    name: 'mapping',
    label: 'thrower',
    path: 'root.pipeline.processors.0.try_catch.processors.0',
  })
  assert.deepEqual(JSON.parse(r.out.texts[1]!), { n: 2, after: true })
  assert.deepEqual(r.out.errors, ['', ''])
})

test('try_catch with no catch swallows the error into a custom metadata key; a failure inside catch stays flagged', async (t) => {
  const a = await run(t, [{ try_catch: { processors: [THROW_IF_BAD], error_metadata: 'oops' } }], ['{"bad":true}'])
  assert.equal(a.out.errors[0], '')
  assert.equal(JSON.parse(a.out.metas[0]!.oops!).what, 'failed assignment (line 1): boom')
  const b = await run(t, [{ try_catch: { processors: [THROW_IF_BAD], catch: [{ mapping: 'root = throw("again")' }] } }], ['{"bad":true}'])
  assert.equal(b.out.errors[0], 'failed assignment (line 1): again')
})

test('a try inside catch is a lint error with the reference text', async () => {
  const { lintText } = await import('./flow-lint.js')
  const findings = lintText('pipeline:\n  processors:\n    - catch:\n        - try:\n            - noop: {}\n')
  assert.ok(findings.some((m) => m.startsWith("'catch' block contains a 'try' block which will never execute")), findings.join('\n'))
})

// ---- switch -----------------------------------------------------------------------------------

test('switch runs each message through its first matching case and keeps the batch order', async (t) => {
  const r = await run(
    t,
    [
      {
        switch: [
          { check: 'this.n % 2 == 0', processors: [{ mutation: 'root.even = true' }] },
          { check: 'this.n > 2', processors: [{ mutation: 'root.big = true' }] },
        ],
      },
    ],
    ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'],
  )
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ n: 1 }, { n: 2, even: true }, { n: 3, big: true }, { n: 4, even: true }])
  assert.equal(r.out.batches.length, 1)
})

test('switch: a failing check flags the message, which skips every later case', async (t) => {
  const r = await run(
    t,
    [{ switch: [{ check: 'this.n > 0', processors: [{ mutation: 'root.first = true' }] }, { processors: [{ mutation: 'root.fallback = true' }] }] }],
    ['not json', '{"n":-1}'],
  )
  assert.equal(r.out.texts[0], 'not json')
  assert.match(r.out.errors[0]!, /^failed assignment \(line 1\): /)
  assert.deepEqual(JSON.parse(r.out.texts[1]!), { n: -1, fallback: true })
  assert.equal(r.out.errors[1], '')
  assert.ok(r.h.logs.some((l) => l.includes('Failed to test case 0')))
  const stats = r.h.metrics.stats()
  const key = Object.keys(stats).find((k) => k.startsWith('processor_error{') && k.includes('path="root.pipeline.processors.0"'))
  assert.ok(key, Object.keys(stats).join('\n'))
  assert.equal(stats[key], 1)
})

test('a switch inside a switch still returns the batch in its original order', async (t) => {
  const inner = { switch: [{ check: 'this.n % 2 == 0', processors: [{ mutation: 'root.even = true' }] }, { processors: [{ mutation: 'root.odd = true' }] }] }
  const r = await run(t, [{ switch: [{ check: 'this.n > 1', processors: [inner] }, { processors: [{ mutation: 'root.small = true' }] }] }], ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}'])
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ n: 1, small: true }, { n: 2, even: true }, { n: 3, odd: true }, { n: 4, even: true }])
})

test('switch fallthrough runs the next case without testing it; continue tests it', async (t) => {
  const r = await run(
    t,
    [
      {
        switch: [
          { check: 'this.n == 1', processors: [{ mutation: 'root.a = true' }], fallthrough: true },
          { check: 'false', processors: [{ mutation: 'root.b = true' }] },
          { check: 'this.n == 2', processors: [{ mutation: 'root.c = true' }], continue: true },
          { check: 'this.c == true', processors: [{ mutation: 'root.d = true' }] },
        ],
      },
    ],
    ['{"n":1}', '{"n":2}'],
  )
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ n: 1, a: true, b: true }, { n: 2, c: true, d: true }])
})

test('switch build errors: a case without processors, both fallthrough and continue', async () => {
  const e1 = await expectBuildError([{ switch: [{ check: 'true', processors: [] }] }])
  assert.equal(e1.message, "case '0' parse error: case has no processors, in order to have a no-op case use a `noop` processor")
  assert.equal(e1.data.path, 'pipeline.processors[0].switch[0].processors')
  const e2 = await expectBuildError([{ switch: [{ processors: [{ noop: {} }] }, { processors: [{ noop: {} }], fallthrough: true, continue: true }] }])
  assert.equal(e2.message, "case '1' parse error: a case cannot have both 'fallthrough' and 'continue' set to true")
  const e3 = await expectBuildError([{ switch: [{ processors: [{ mapping: 'root = nope(' }] }] }])
  assert.equal(e3.data.path, 'pipeline.processors[0].switch[0].processors[0].mapping')
})

// ---- for_each / processors / parallel ---------------------------------------------------------

test('for_each gives children batches of one; processors gives them the whole batch', async (t) => {
  const each = await run(t, [{ for_each: [{ mapping: 'root = batch_size()' }] }], ['a', 'b', 'c'])
  assert.deepEqual(each.out.texts, ['1', '1', '1'])
  const whole = await run(t, [{ processors: [{ mapping: 'root = batch_size()' }] }], ['a', 'b', 'c'])
  assert.deepEqual(whole.out.texts, ['3', '3', '3'])
})

test('parallel keeps the input order and works on up to cap messages at once', async (t) => {
  // Each message sleeps 300 ms: one at a time would take 1.2 s.
  const started = Date.now()
  const r = await run(t, [{ parallel: { cap: 4, processors: [{ sleep: { duration: '300ms' } }, { mapping: 'root = content().string() + "!"' }] } }], ['a', 'b', 'c', 'd'])
  assert.deepEqual(r.out.texts, ['a!', 'b!', 'c!', 'd!'])
  assert.ok(Date.now() - started < 1150, `took ${Date.now() - started} ms`)
})

// ---- while ------------------------------------------------------------------------------------

test('while loops on the first message of the batch, up to max_loops', async (t) => {
  const r = await run(t, [{ while: { check: 'this.n < 100', max_loops: 3, processors: [{ mutation: 'root.n = this.n + 1' }] } }], ['{"n":0}', '{"n":50}'])
  assert.deepEqual(r.out.texts, ['{"n":3}', '{"n":53}'])
})

test('while at_least_once runs once even when the check is false; a failing check ends the loop', async (t) => {
  const once = await run(t, [{ while: { at_least_once: true, check: 'false', processors: [{ mutation: 'root.n = this.n + 1' }] } }], ['{"n":0}'])
  assert.deepEqual(once.out.texts, ['{"n":1}'])
  const bad = await run(t, [{ while: { check: 'this.n.uppercase()', processors: [{ mutation: 'root.n = this.n + 1' }] } }], ['{"n":0}'])
  assert.deepEqual(bad.out.texts, ['{"n":0}'])
})

test('while needs a check', async () => {
  const e = await expectBuildError([{ while: { processors: [{ noop: {} }] } }])
  assert.equal(e.message, 'a check query is required')
  assert.equal(e.data.path, 'pipeline.processors[0].while.check')
})

// ---- retry ------------------------------------------------------------------------------------

test('retry starts every attempt from the original message and records retry_count and backoff_duration', async (t) => {
  const r = await run(
    t,
    [
      {
        retry: {
          backoff: { initial_interval: '5ms', max_interval: '20ms' },
          processors: [{ mutation: 'root.tries = (this.tries | 0) + 1' }, { mapping: 'root = if count("retry_a") < 3 { throw("not yet") } else { this }' }],
        },
      },
    ],
    ['{"id":1}'],
  )
  assert.deepEqual(JSON.parse(r.out.texts[0]!), { id: 1, tries: 1 })
  assert.equal(r.out.errors[0], '')
  assert.equal(r.out.metas[0]!.retry_count, '2')
  assert.ok(Number(r.out.metas[0]!.backoff_duration) >= 2 * 2.5e6, r.out.metas[0]!.backoff_duration)
})

test('retry gives up after max_retries and passes the flagged result on', async (t) => {
  const r = await run(t, [{ retry: { backoff: { initial_interval: '1ms' }, max_retries: 3, processors: [{ mapping: 'root = throw("never")' }] } }], ['{"id":1}'])
  assert.equal(r.out.texts[0], '{"id":1}')
  assert.equal(r.out.errors[0], 'failed assignment (line 1): never')
  assert.equal(r.out.metas[0]!.retry_count, '3')
})

test('retry stops at max_elapsed_time; parallel mode keeps the order', async (t) => {
  const a = await run(t, [{ retry: { backoff: { initial_interval: '20ms', max_interval: '20ms', max_elapsed_time: '50ms' }, processors: [{ mapping: 'root = throw("never")' }] } }], ['x'])
  assert.equal(a.out.errors[0], 'failed assignment (line 1): never')
  assert.ok(Number(a.out.metas[0]!.retry_count) >= 1 && Number(a.out.metas[0]!.retry_count) <= 6, a.out.metas[0]!.retry_count)
  const b = await run(t, [{ retry: { parallel: true, processors: [{ mapping: 'root = content().string().uppercase()' }] } }], ['a', 'b', 'c'])
  assert.deepEqual(b.out.texts, ['A', 'B', 'C'])
})

test('retry needs children; bad durations are located', async () => {
  const e = await expectBuildError([{ retry: { processors: [] } }])
  assert.equal(e.message, 'at least one child processor must be specified')
  const d = await expectBuildError([{ retry: { backoff: { max_interval: 'soon' }, processors: [{ noop: {} }] } }])
  assert.equal(d.message, 'time: invalid duration "soon"')
  assert.equal(d.data.path, 'pipeline.processors[0].retry.backoff.max_interval')
})

// ---- branch -----------------------------------------------------------------------------------

test('branch: request and result maps, branch metadata only where result_map copies it, @ reads the original', async (t) => {
  const r = await run(
    t,
    [
      {
        branch: {
          request_map: 'root.q = this.name\nmeta req = "yes"',
          processors: [{ mapping: 'root = this.q.uppercase()\nmeta from_branch = "b"' }],
          result_map: 'root.shout = content().string()\nmeta copied = metadata("from_branch")\nmeta orig = @keep',
        },
      },
    ],
    [{ content: '{"name":"ada"}', metadata: { keep: 'k' } }],
  )
  assert.deepEqual(JSON.parse(r.out.texts[0]!), { name: 'ada', shout: 'ADA' })
  assert.deepEqual(r.out.metas[0], { keep: 'k', copied: 'b', orig: 'k' })
})

test('branch without request_map sends an exact copy (errors cleared); the original keeps its flag', async (t) => {
  const r = await run(
    t,
    [THROW_IF_BAD, { branch: { processors: [{ mapping: 'root = if errored() { "flagged" } else { "clean" }' }], result_map: 'root.seen = content().string()' } }],
    ['{"bad":true}'],
  )
  assert.deepEqual(JSON.parse(r.out.texts[0]!), { bad: true, seen: 'clean' })
  assert.equal(r.out.errors[0], 'failed assignment (line 1): boom')
})

test('branch errors: request map, child and result map failures flag only their message', async (t) => {
  const r = await run(
    t,
    [
      {
        branch: {
          request_map: 'root = if this.k == "req" { throw("bad request") } else { this }',
          processors: [{ mapping: 'root = if this.k == "child" { throw("bad child") } else { this }' }],
          result_map: 'root.r = if this.k == "res" { throw("bad result") } else { "ok" }',
        },
      },
    ],
    ['{"k":"req"}', '{"k":"child"}', '{"k":"res"}', '{"k":"fine"}'],
  )
  assert.deepEqual(r.out.texts.map((s) => JSON.parse(s)), [{ k: 'req' }, { k: 'child' }, { k: 'res' }, { k: 'fine', r: 'ok' }])
  assert.deepEqual(r.out.errors, [
    'request mapping failed: failed assignment (line 1): bad request',
    'processors failed: failed assignment (line 1): bad child',
    'result mapping failed: failed assignment (line 1): bad result',
    '',
  ])
})

test('branch: a child that changes the message count flags every message; deleted() in request_map skips', async (t) => {
  const r = await run(t, [{ branch: { processors: [{ mapping: 'root = if this.n == 1 { deleted() } else { this }' }], result_map: 'root.x = 1' } }], ['{"n":1}', '{"n":2}'])
  assert.deepEqual(r.out.texts, ['{"n":1}', '{"n":2}'])
  const msg = 'message count from branch processors does not match request, started with 1 messages, finished with 2'
  assert.deepEqual(r.out.errors, [msg, msg])
  const skip = await run(t, [{ branch: { request_map: 'root = if this.n == 1 { deleted() } else { this }', processors: [{ noop: {} }], result_map: 'root.x = 1' } }], ['{"n":1}', '{"n":2}'])
  assert.deepEqual(skip.out.texts.map((s) => JSON.parse(s)), [{ n: 1 }, { n: 2, x: 1 }])
  assert.deepEqual(skip.out.errors, ['', ''])
})

test('branch needs a child processor', async () => {
  const e = await expectBuildError([{ branch: { request_map: 'root = this' } }])
  assert.equal(e.message, 'the branch processor requires at least one child processor')
  assert.equal(e.data.path, 'pipeline.processors[0].branch.processors')
})

// ---- workflow ---------------------------------------------------------------------------------

const ENRICH = {
  foo: { request_map: 'root = this.n', processors: [{ mapping: 'root = this + 1' }], result_map: 'root.foo = this' },
  bar: { request_map: 'root = this.foo', processors: [{ mapping: 'root = this * 10' }], result_map: 'root.bar = this' },
  baz: { request_map: 'root = this.n', processors: [{ mapping: 'root = this - 1' }], result_map: 'root.baz = this' },
}

test('workflow infers tiers from what request maps read and result maps write', async (t) => {
  const r = await run(t, [{ workflow: { branches: ENRICH } }], ['{"n":1}'])
  assert.deepEqual(JSON.parse(r.out.texts[0]!), { n: 1, foo: 2, bar: 20, baz: 0, meta: { workflow: { succeeded: ['bar', 'baz', 'foo'] } } })
  assert.ok(r.h.logs.some((l) => l.includes('Automatically resolved workflow DAG: [[baz foo] [bar]]')), r.h.logs.join('\n'))
})

test('workflow records skipped and failed branches, and a replay skips what already succeeded', async (t) => {
  const branches = {
    ...ENRICH,
    bad: { request_map: 'root = this.n', processors: [{ mapping: 'root = throw("nope")' }], result_map: 'root.bad = this' },
    never: { request_map: 'root = deleted()', processors: [{ noop: {} }] },
  }
  const r = await run(t, [{ workflow: { meta_path: 'results', branches } }], ['{"n":1}', '{"n":1,"results":{"succeeded":["foo"],"skipped":["never"]}}'])
  const first = JSON.parse(r.out.texts[0]!) as Record<string, unknown>
  assert.deepEqual(first.results, { succeeded: ['bar', 'baz', 'foo'], skipped: ['never'], failed: { bad: 'processors failed: failed assignment (line 1): nope' } })
  const second = JSON.parse(r.out.texts[1]!) as Record<string, unknown>
  // foo was not run again (no foo field), so bar had nothing to read.
  assert.equal(second.foo, undefined)
  assert.deepEqual((second.results as Record<string, unknown>).previous, { succeeded: ['foo'], skipped: ['never'] })
  assert.deepEqual((second.results as Record<string, unknown>).skipped, ['foo', 'never'])
  assert.deepEqual(r.out.errors, ['', ''])
})

test('workflow apply restricts the branches; without meta_path a failure flags the message', async (t) => {
  const a = await run(t, [{ workflow: { branches: ENRICH } }], ['{"n":1,"meta":{"workflow":{"apply":["baz"]}}}'])
  const doc = JSON.parse(a.out.texts[0]!) as Record<string, unknown>
  assert.equal(doc.baz, 0)
  assert.equal(doc.foo, undefined)
  const b = await run(
    t,
    [{ workflow: { meta_path: '', order: [['bad', 'foo']], branches: { foo: ENRICH.foo, bad: { processors: [{ mapping: 'root = throw("nope")' }] } } } }],
    ['{"n":1}'],
  )
  assert.deepEqual(JSON.parse(b.out.texts[0]!), { n: 1, foo: 2 })
  assert.equal(b.out.errors[0], 'workflow branches failed: [bad]')
})

test('workflow order and DAG errors use the reference messages', async () => {
  const one = { processors: [{ noop: {} }] }
  const cases: [unknown, string][] = [
    [{ order: [['a']], branches: { a: one, b: one } }, 'the following branches were missing from order: [b]'],
    [{ order: [['a'], []], branches: { a: one } }, "explicit order tier '1' was empty"],
    [{ order: [['a'], ['a']], branches: { a: one } }, 'branch specified in order listed multiple times: a'],
    [{ order: [['a', 'ghost']], branches: { a: one } }, "processor resource 'ghost' was not found"],
    [{ branch_resources: ['ghost'] }, "processor resource 'ghost' was not found"],
    [{ branches: { 'a b': one } }, "workflow branch name 'a b' contains invalid characters"],
    [
      {
        branches: {
          a: { request_map: 'root = this.b', processors: [{ noop: {} }], result_map: 'root.a = this' },
          b: { request_map: 'root = this.a', processors: [{ noop: {} }], result_map: 'root.b = this' },
        },
      },
      'failed to automatically resolve DAG, circular dependencies detected for branches: [a b]',
    ],
  ]
  for (const [conf, message] of cases) {
    const e = await expectBuildError([{ workflow: conf }])
    assert.equal(e.message, message)
  }
})

// ---- Bloblang targets -------------------------------------------------------------------------

test('mapping targets: what a mapping reads and assigns', () => {
  const t = mappingTargets(
    'root.a = this.b.c.uppercase()\nmeta x = @y\nroot.d = json("e.f")\nroot.g = this.items.map_each(i -> i.v)\nlet z = match this.m { "k" => this.inner, _ => metadata("w") }\nroot = this.h.get("i.j")',
  )
  const show = (ps: { type: string; path: string[] }[]): string[] => ps.map((p) => `${p.type}:${p.path.join('.')}`)
  assert.deepEqual(show(t.queried), ['value:b.c', 'metadata:y', 'value:e.f', 'value:items', 'value:items.v', 'value:m.inner', 'metadata:w', 'value:m', 'value:h', 'value:h.i.j'])
  assert.deepEqual(show(t.assigned), ['value:a', 'metadata:x', 'value:d', 'value:g', 'variable:z', 'value:'])
})

// ---- stopping mid-flight ----------------------------------------------------------------------

test('a while loop that never ends and a retry waiting out its back-off are nacked when the stream stops', async (t) => {
  const loop = await startStream(
    t,
    {
      input: { one_batch: { name: 'stop_while', messages: ['{"n":0}'] } },
      pipeline: { processors: [{ while: { check: 'true', processors: [{ sleep: { duration: '5ms' } }] } }] },
      output: { capture: { name: 'stop_while' } },
    },
    { id: 'stop_while', extraSpecs: SPECS, logLevel: 'TRACE' },
  )
  await until('the loop to turn', () => loop.logs.some((l) => l.includes('Looped')))
  const waiting = await startStream(
    t,
    {
      input: { one_batch: { name: 'stop_retry', messages: ['x'] } },
      pipeline: { processors: [{ retry: { backoff: { initial_interval: '30s', max_interval: '30s' }, processors: [{ mapping: 'root = throw("no")' }] } }] },
      output: { capture: { name: 'stop_retry' } },
    },
    { id: 'stop_retry', extraSpecs: SPECS },
  )
  await until('the retry to back off', () => waiting.logs.some((l) => l.includes('sleeping for next backoff period')))
  const [a, b] = await Promise.all([loop.stream.stop(400), waiting.stream.stop(400)])
  assert.equal(a.graceful, false)
  assert.equal(b.graceful, false)
  assert.deepEqual(capture('stop_while').texts, [])
  assert.deepEqual(capture('stop_retry').texts, [])
  // One ack each, and a nack: the batch is replayed by a source that can, never lost as delivered.
  for (const name of ['stop_while', 'stop_retry']) {
    const seen = batchAcks.get(name)!
    assert.equal(seen.length, 1, name)
    assert.notEqual(seen[0], 'ok', name)
  }
})
