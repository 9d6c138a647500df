/**
 * Routing components through the real CLI: worker threads, real files, real HTTP on loopback.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost } from '../helpers/cli-host.js'

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l !== '') : [])

const ROUTE = `input:
  http_server:
    path: /in
pipeline:
  processors:
    - mapping: 'root = if this.kind == "bad" { throw("bad kind") } else { this }'
output:
  switch:
    cases:
      - check: this.kind == "a"
        output:
          file:
            path: a.jsonl
      - check: '!errored()'
        output:
          broker:
            pattern: fan_out
            outputs:
              - file:
                  path: b1.jsonl
              - file:
                  path: b2.jsonl
                processors:
                  - mapping: 'root = content().uppercase()'
      - output:
          fallback:
            - reject_errored:
                file:
                  path: never.jsonl
            - file:
                path: dlq.txt
              processors:
                - mapping: 'root = @fallback_error'
`

const REJECT = `input:
  http_server:
    path: /in
output:
  reject: 'refused \${! content() }'
`

test('CLI: switch, fan-out broker, fallback and reject_errored route real requests to real files', async (t) => {
  // Relative output paths land in the temp dir the host runs in.
  const h = await startHost(t, { files: { 'route.yaml': ROUTE, 'rej.yaml': REJECT } })
  const post = (path: string, body: string): Promise<{ status: number; body: string }> => h.text(path, { method: 'POST', body })
  await h.until('route to take a request', async () => (await post('/route/in', '{"kind":"a"}')).status === 200)
  assert.equal((await post('/route/in', '{"kind":"b"}')).status, 200)
  assert.equal((await post('/route/in', '{"kind":"bad"}')).status, 200)
  await h.until('the dead letter', () => lines(join(h.dir, 'dlq.txt')).length === 1)
  assert.deepEqual(lines(join(h.dir, 'a.jsonl')), ['{"kind":"a"}'])
  assert.deepEqual(lines(join(h.dir, 'b1.jsonl')), ['{"kind":"b"}'])
  assert.deepEqual(lines(join(h.dir, 'b2.jsonl')), ['{"KIND":"B"}'])
  assert.match(lines(join(h.dir, 'dlq.txt'))[0]!, /^rejecting due to failed processing: .*bad kind/)
  assert.equal(existsSync(join(h.dir, 'never.jsonl')), false)

  const rej = await h.until('rej to answer', async () => {
    const r = await post('/rej/in', 'me')
    return r.status !== 404 && r
  })
  assert.notEqual(rej.status, 200)
  assert.match(rej.body, /refused me/)
})

test('CLI: broker input merges http_server with a sequence of generate and read_until; batched input batches', async (t) => {
  const h = await startHost(t, {
    files: {
      'merge.yaml': `input:
  broker:
    inputs:
      - http_server:
          path: /push
      - sequence:
          inputs:
            - generate:
                count: 2
                interval: ''
                mapping: 'root = "seq-" + counter().string()'
            - read_until:
                check: content() == "ru-2"
                input:
                  generate:
                    interval: ''
                    mapping: 'root = "ru-" + counter().string()'
output:
  file:
    path: merged.txt
`,
      'batched.yaml': `input:
  batched:
    child:
      generate:
        count: 5
        interval: ''
        mapping: 'root = "g" + counter().string()'
    policy:
      count: 2
pipeline:
  processors:
    - mapping: 'root = content() + ":" + batch_size().string()'
output:
  file:
    path: batched.txt
`,
    },
  })
  const merged = join(h.dir, 'merged.txt')
  await h.until('the sequence to run through', () => lines(merged).length >= 4)
  await h.until('a pushed message', async () => (await h.text('/merge/push', { method: 'POST', body: 'pushed' })).status === 200)
  await h.until('the pushed line', () => lines(merged).includes('pushed'))
  assert.deepEqual(lines(merged).filter((l) => l !== 'pushed'), ['seq-1', 'seq-2', 'ru-1', 'ru-2'])
  await h.until(`all batches (${lines(join(h.dir, 'batched.txt')).join(',')})`, () => lines(join(h.dir, 'batched.txt')).length === 5)
  assert.deepEqual(lines(join(h.dir, 'batched.txt')), ['g1:2', 'g2:2', 'g3:2', 'g4:2', 'g5:1'])
})
