/**
 * Resources through the real CLI: every stream in its own worker thread, resources hosted once on
 * the main thread. Waits poll the API or files with deadlines.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

async function state(h: RunningHost, id: string): Promise<string | undefined> {
  const r = await h.fetch(`/streams/${id}`)
  return r.status === 200 ? ((await r.json()) as { state: string }).state : undefined
}

function lines(h: RunningHost, rel: string): string[] {
  const p = join(h.dir, rel)
  return existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter((l) => l !== '') : []
}

const prefixed = (tag: string): string => `input:
  resource: gen
pipeline:
  processors:
    - mapping: 'root = "${tag}:" + content().string()'
output:
  resource: sink
`

test('two worker threads share one input resource (each message once) and one output resource', async (t) => {
  const h = await startHost(t, {
    files: {
      'res.yaml': `input_resources:
  - label: gen
    generate:
      count: 150
      interval: 15ms
      mapping: 'root = counter()'
output_resources:
  - label: sink
    file:
      path: ./shared.txt
`,
      'streams/a.yaml': prefixed('a'),
      'streams/b.yaml': prefixed('b'),
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  await h.until('both streams to finish', async () => (await state(h, 'a')) === 'finished' && (await state(h, 'b')) === 'finished', 60_000)
  const got = lines(h, 'shared.txt')
  const numbers = got.map((l) => Number(l.split(':')[1])).sort((x, y) => x - y)
  assert.deepEqual(numbers, Array.from({ length: 150 }, (_, i) => i + 1))
  // Over 2 s of input both workers are up and waiting: readers are served in turn.
  const a = got.filter((l) => l.startsWith('a:')).length
  assert.ok(a > 0 && a < 150, `a got ${a} of 150`)
})

test('inproc connects streams on different worker threads, acks flowing back to the writer', async (t) => {
  const h = await startHost(t, {
    files: {
      'w.yaml': `input:
  generate:
    count: 5
    interval: ''
    mapping: 'root = "m" + counter().string()'
output:
  inproc: pipe
`,
      'r.yaml': `input:
  inproc: pipe
output:
  file:
    path: ./inproc.txt
`,
    },
  })
  await h.until('the writer to finish', async () => (await state(h, 'w')) === 'finished', 30_000)
  await h.until('all five lines', () => lines(h, 'inproc.txt').length === 5)
  assert.deepEqual(lines(h, 'inproc.txt'), ['m1', 'm2', 'm3', 'm4', 'm5'])
  assert.equal(await state(h, 'r'), 'running')
})

test('a local rate limit used by three streams limits them together', async (t) => {
  const stream = `input:
  generate:
    count: 12
    interval: ''
    mapping: 'root = ""'
pipeline:
  processors:
    - rate_limit:
        resource: rl
    - mapping: 'root = timestamp_unix_milli()'
output:
  resource: out
`
  const h = await startHost(t, {
    files: {
      'res.yaml': `rate_limit_resources:
  - label: rl
    local:
      count: 6
      interval: 400ms
output_resources:
  - label: out
    file:
      path: ./times.txt
`,
      'streams/s1.yaml': stream,
      'streams/s2.yaml': stream,
      'streams/s3.yaml': stream,
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  await h.until('36 messages', () => lines(h, 'times.txt').length === 36, 60_000)
  const times = lines(h, 'times.txt').map(Number).sort((x, y) => x - y)
  // 36 accesses at 6 per 400 ms window need six fixed windows; the first access may fall at the end
  // of the first window, so the span is at least four windows (1.6 s), less a late first stamp.
  // Three separate limits would pass 12 per stream in two windows each: under 0.8 s.
  assert.ok(times.at(-1)! - times[0]! >= 1200, `span ${times.at(-1)! - times[0]!} ms`)
  // A fixed window allows at most 2 x count within any one window length.
  for (const t0 of times) assert.ok(times.filter((x) => x >= t0 && x < t0 + 400).length <= 12)
})

test('API: unknown resources fail with 502; replacing a resource changes running streams without a restart', async (t) => {
  const h = await startHost(t, {
    files: {
      'res.yaml': `processor_resources:
  - label: shout
    mapping: 'root = content().uppercase()'
cache_resources:
  - label: broken
    lru:
      cap: 0
`,
      'streams/echo.yaml': `input:
  http_server:
    path: /in
pipeline:
  processors:
    - resource: shout
output:
  sync_response: {}
`,
      'streams/look.yaml': `input:
  http_server:
    path: /get
pipeline:
  processors:
    - cache:
        resource: broken
        operator: get
        key: k
    - mapping: 'root = if errored() { error() } else { content() }'
output:
  sync_response: {}
`,
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  await h.until('echo to serve', async () => (await h.text('/echo/in', { method: 'POST', body: 'hi' })).body === 'HI')

  const bad = await h.text('/streams/bad', { method: 'POST', body: 'input:\n  resource: nope\noutput:\n  drop: {}\n' })
  assert.equal(bad.status, 502)
  assert.match(bad.body, /input resource 'nope' was not found/)
  assert.equal((await h.fetch('/streams/bad')).status, 404)

  const replaced = await h.text('/resources/processor/shout', { method: 'POST', body: `mapping: 'root = "v2:" + content().string()'` })
  assert.equal(replaced.status, 200, replaced.body)
  await h.until('the new processor', async () => (await h.text('/echo/in', { method: 'POST', body: 'hi' })).body === 'v2:hi')
  const info = (await h.json<{ generation: number; restarts: number }>('/streams/echo')).body
  assert.deepEqual([info.generation, info.restarts], [1, 0])

  // A cache that cannot be built names the streams waiting on it.
  // Each file starts its own worker: `look` may still be starting after `echo` serves.
  const looked = await h.until('look to serve', async () => {
    const r = await h.text('/look/get', { method: 'POST', body: '' })
    return r.status !== 404 && r
  })
  assert.match(looked.body, /invalid lru cache parameter capacity: must be bigger than 0 \(streams waiting on resource 'broken': look\)/)
  assert.equal((await h.text('/resources/cache/broken', { method: 'POST', body: 'lru:\n  init_values:\n    k: found\n' })).status, 200)
  assert.equal((await h.text('/look/get', { method: 'POST', body: '' })).body, 'found')
})

test('transactions held by a worker that dies go back to the input resource and reach another stream', async (t) => {
  const h = await startHost(t, {
    files: {
      'res.yaml': `input_resources:
  - label: gen
    generate:
      count: 6
      interval: 300ms
      mapping: 'root = counter()'
`,
      'streams/victim.yaml': `input:
  resource: gen
pipeline:
  processors:
    - crash: 'dying with \${! content() }'
output:
  drop: {}
`,
      'streams/ok.yaml': `input:
  resource: gen
output:
  file:
    path: ./ok.txt
`,
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  await h.until('the victim to crash on a message', async () => {
    const r = await h.json<{ last_error: { message: string } | null }>('/streams/victim')
    return r.body.last_error?.message.includes('dying with')
  }, 30_000)
  await h.until('all six messages in the surviving stream', () => lines(h, 'ok.txt').length >= 6, 30_000)
  assert.deepEqual(lines(h, 'ok.txt').map(Number).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6])
})

test('an output resource that cannot be built names the streams waiting on it, and works once fixed', async (t) => {
  const h = await startHost(t, {
    files: {
      'res.yaml': `output_resources:
  - label: badout
    cache:
      target: later
      key: 'k'
`,
      'streams/w.yaml': `input:
  generate:
    count: 1
    interval: ''
    mapping: 'root = "stored"'
output:
  resource: badout
`,
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  await h.until('the failure to name the waiting stream', () =>
    /cache resource 'later' was not found \(streams waiting on resource 'badout': w\)/.test(h.stdout() + h.stderr()),
  )
  assert.notEqual(await state(h, 'w'), 'finished')
  assert.equal((await h.text('/resources/cache/later', { method: 'POST', body: 'memory: {}' })).status, 200)
  await h.until('the stream to deliver and finish', async () => (await state(h, 'w')) === 'finished', 30_000)
})
