import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { startHost } from '../../helpers/cli-host.js'

// A gzipped CSV read through the decompress + csv scanners, batched by a memory buffer, grouped
// per city, tar-archived, gzipped and written one file per group: checked with the system tar.
const ETL = `input:
  file:
    paths: [ ./in/people.csv.gz ]
    scanner:
      decompress:
        algorithm: gzip
        into:
          csv: {}
buffer:
  memory:
    batch_policy:
      enabled: true
      count: 4
      period: 5s
pipeline:
  processors:
    - mapping: |
        meta city = this.city
        root = this
    - group_by_value:
        value: '\${! meta("city") }'
    - archive:
        format: tar
        path: '\${! this.name }.json'
    - compress:
        algorithm: gzip
output:
  file:
    path: ./out/\${! meta("city") }.tar.gz
    codec: all-bytes
`

test('CLI: scanners, group_by_value, archive and compress together write real tar.gz files', async (t) => {
  const csv = 'name,city\nada,paris\nbob,rome\ncy,paris\ndee,rome\n'
  const h = await startHost(t, {
    files: { 'streams/etl.yaml': ETL },
    args: ['{dir}/streams'],
    setup: (dir) => {
      mkdirSync(join(dir, 'in'))
      mkdirSync(join(dir, 'out'))
      writeFileSync(join(dir, 'in/people.csv.gz'), gzipSync(csv))
    },
  })
  const paris = join(h.dir, 'out/paris.tar.gz')
  const rome = join(h.dir, 'out/rome.tar.gz')
  await h.until('both archives', () => existsSync(paris) && existsSync(rome) && (readFileSync(rome).length > 0))
  const list = (f: string): string[] => execFileSync('tar', ['-tzf', f], { encoding: 'utf8' }).trim().split('\n')
  await h.until('complete archives', () => {
    try {
      return list(paris).length === 2 && list(rome).length === 2
    } catch {
      return false
    }
  })
  assert.deepEqual(list(paris), ['ada.json', 'cy.json'])
  assert.deepEqual(list(rome), ['bob.json', 'dee.json'])
  assert.equal(execFileSync('tar', ['-xzOf', paris, 'cy.json'], { encoding: 'utf8' }), '{"city":"paris","name":"cy"}')
  assert.equal(await h.stop(), 0)
})

test('CLI: the logger metrics exporter logs counters with their stream label every push_interval', async (t) => {
  const h = await startHost(t, {
    files: {
      'weir.yaml': 'metrics:\n  logger:\n    push_interval: 100ms\nlogger:\n  level: INFO\n  format: logfmt\n',
      'streams/gen.yaml': 'input:\n  generate:\n    count: 3\n    interval: ""\n    mapping: root = "x"\npipeline:\n  processors:\n    - metric:\n        type: counter\n        name: seen_total\n        labels:\n          kind: \'${! content() }\'\noutput:\n  drop: {}\n',
    },
    args: ['-c', '{dir}/weir.yaml', '{dir}/streams'],
  })
  const line = await h.until('a logged custom counter', () =>
    h.stdout().split('\n').find((l) => l.includes('msg="Counter metric"') && l.includes('name=seen_total') && l.includes('value=3')),
  )
  assert.match(line, /kind=x/)
  assert.match(line, /stream=gen/)
  assert.equal((await h.fetch('/metrics')).status, 404)
  assert.equal(await h.stop(), 0)
})

test('CLI: dedupe, cached and zstd use a cache resource declared in the root config, across the worker boundary', async (t) => {
  const stream = `input:
  generate:
    count: 6
    interval: ""
    mapping: 'root = {"id": counter() % 3}'
pipeline:
  processors:
    - dedupe:
        cache: shared
        key: 'dd-\${! this.id }'
    - cached:
        cache: shared
        key: 'cc-\${! this.id }'
        processors:
          - mapping: 'root = "id " + this.id.string() + " run " + count("runs").string()'
    # zstd's wasm encoder starts inside the worker thread.
    - compress:
        algorithm: zstd
    - mapping: 'root = if content().slice(0, 4).encode("hex") == "28b52ffd" { content() } else { throw("not zstd") }'
    - decompress:
        algorithm: zstd
output:
  file:
    path: ./out.txt
    codec: lines
`
  const h = await startHost(t, {
    files: { 'weir.yaml': 'cache_resources:\n  - label: shared\n    memory: {}\n', 'streams/d.yaml': stream },
    args: ['-c', '{dir}/weir.yaml', '{dir}/streams'],
  })
  await h.until('the stream to finish', async () => (await h.json<{ state: string }>('/streams/d')).body.state === 'finished')
  const lines = readFileSync(join(h.dir, 'out.txt'), 'utf8').trim().split('\n')
  assert.deepEqual(lines.sort(), ['id 0 run 3', 'id 1 run 1', 'id 2 run 2'])
  assert.equal(await h.stop(), 0)
})
