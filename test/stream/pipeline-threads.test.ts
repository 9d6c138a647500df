/**
 * `pipeline.threads` set in a config runs the processors on a piscina pool owned by the stream's
 * worker: every message comes through, processor metrics still count in the stream's registry,
 * error flags survive the round trip, and a pipeline that needs a cache falls back to the stream's
 * own thread with a warning. Real CLI, real worker and pool threads, real files.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, tempDir } from '../helpers/cli-host.js'

const N = 300

function stream(out: string, threads: string, extra = ''): string {
  return `input:
  generate:
    count: ${N}
    interval: ""
    mapping: 'root = {"n": counter()}'
pipeline:
  threads: ${threads}
  processors:
    - mapping: |
        root.n = this.n
        root.sq = this.n * this.n
        meta seen = "yes"
    - mapping: 'root = if this.n % 100 == 0 { throw("hundred") } else { this }'
    - mapping: 'root = this.merge({"err": error().or(""), "seen": @seen})'
${extra}output:
  file:
    path: ${out}
    codec: lines
`
}

async function lines(host: { until: <T>(what: string, fn: () => T | undefined) => Promise<T> }, out: string): Promise<{ n: number; sq: number; err: string; seen: string }[]> {
  const got = await host.until(`${N} lines in ${out}`, () => {
    if (!existsSync(out)) return undefined
    const l = readFileSync(out, 'utf8').split('\n').filter((x) => x !== '')
    return l.length >= N ? l : undefined
  })
  return got.map((l) => JSON.parse(l) as { n: number; sq: number; err: string; seen: string })
}

test('pipeline.threads: 2 runs on pool threads; every message, metadata, error flags and processor metrics come through', async (t) => {
  const dir = tempDir(t)
  const out = join(dir, 'out.jsonl')
  const host = await startHost(t, { files: { 'pooled.yaml': stream(out, '2') } })
  const got = await lines(host, out)
  assert.deepEqual(got.map((x) => x.n).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i + 1))
  for (const x of got) {
    assert.equal(x.sq, x.n * x.n)
    assert.equal(x.seen, 'yes')
    assert.equal(x.err, x.n % 100 === 0 ? 'failed assignment (line 1): hundred' : '')
  }
  assert.match(host.stdout(), /pipeline running on up to 2 pipeline threads/)
  const metrics = await host.until('processor metrics', async () => {
    const m = (await host.text('/metrics')).body
    return /processor_received\{label="",path="root\.pipeline\.processors\.0",stream="pooled"\} 300/.test(m) ? m : undefined
  })
  assert.match(metrics, /processor_error\{label="",path="root\.pipeline\.processors\.1",stream="pooled"\} 3\b/)
  assert.match(metrics, /processor_sent\{label="",path="root\.pipeline\.processors\.2",stream="pooled"\} 300/)
})

test('a pipeline with waiting processors (sleep, cache) keeps to the stream thread, threads of them overlapping', async (t) => {
  const dir = tempDir(t)
  const out = join(dir, 'out.jsonl')
  const host = await startHost(t, {
    files: {
      'res.yaml': 'cache_resources:\n  - label: c\n    memory: {}\n',
      'waiting.yaml': stream(out, '2').replace(
        '    - mapping: |\n        root.n = this.n',
        "    - sleep:\n        duration: 1ms\n    - cache:\n        resource: c\n        operator: set\n        key: '${! content() }'\n        value: v\n    - mapping: |\n        root.n = this.n",
      ),
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/waiting.yaml'],
  })
  const got = await lines(host, out)
  assert.deepEqual(got.map((x) => x.n).sort((a, b) => a - b), Array.from({ length: N }, (_, i) => i + 1))
  assert.doesNotMatch(host.stdout(), /pipeline running on up to|cannot run on pipeline threads/)
})
