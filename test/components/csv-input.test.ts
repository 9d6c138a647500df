/** The deprecated `csv` input through the real CLI: files in turn, headers per file, batches, metadata, delete_on_finish. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { startHost } from '../helpers/cli-host.js'

test('csv input: one message per row, keyed by each file header, in batches, with path and modification metadata', async (t) => {
  const h = await startHost(t, {
    files: {
      'data/a.csv': 'name;age\nada;36\nalan;41\nbob;7\n',
      'data/b.csv': 'k\n"quoted;v"\nx;y\n',
      'streams/c.yaml': `input:
  csv:
    paths: [ ./data/*.csv ]
    delimiter: ';'
    batch_count: 2
    delete_on_finish: true
pipeline:
  processors:
    - mapping: 'root = {"row": this, "batch": batch_size(), "path": @path, "header": @header, "mod": @mod_time_unix, "mod_time": @mod_time}'
output:
  file:
    path: ./out.jsonl
`,
    },
    setup: (dir) => {
      for (const f of ['a.csv', 'b.csv']) utimesSync(join(dir, 'data', f), 1700000000, 1700000000)
    },
    args: ['{dir}/streams'],
  })
  const read = (): string[] => h.read('out.jsonl').trim().split('\n').filter((l) => l !== '')
  const lines = await h.until('five rows', () => (read().length >= 5 ? read() : undefined))
  const rows = lines.map((l) => JSON.parse(l))
  assert.deepEqual(
    rows.map((r) => [r.row, r.batch, r.path, r.header]),
    [
      [{ age: '36', name: 'ada' }, 2, 'data/a.csv', ['name', 'age']],
      [{ age: '41', name: 'alan' }, 2, 'data/a.csv', ['name', 'age']],
      // The last batch of a file is smaller.
      [{ age: '7', name: 'bob' }, 1, 'data/a.csv', ['name', 'age']],
      [{ k: 'quoted;v' }, 2, 'data/b.csv', ['k']],
      // More fields than the header names: an array, as in the reference.
      [['x', 'y'], 2, 'data/b.csv', null],
    ],
  )
  assert.deepEqual([rows[0].mod, rows[0].mod_time], [1700000000, '2023-11-14T22:13:20Z'])
  await h.until('the files to be deleted', () => (!existsSync(join(h.dir, 'data/a.csv')) && !existsSync(join(h.dir, 'data/b.csv')) ? true : undefined))
})

test('csv input: a bad delimiter, batch_count or path set stops the stream with a located error', async (t) => {
  const stream = (fields: string): string => `input:\n  csv:\n${fields}\noutput:\n  drop: {}\n`
  const h = await startHost(t, {
    files: {
      'data/a.csv': 'x\n1\n',
      'streams/delim.yaml': stream("    paths: [ ./data/a.csv ]\n    delimiter: ';;'"),
      'streams/count.yaml': stream('    paths: [ ./data/a.csv ]\n    batch_count: 0'),
      'streams/none.yaml': stream('    paths: [ ./data/*.tsv ]'),
    },
    args: ['{dir}/streams'],
  })
  const lines = await h.until('three streams to fail to build', () => {
    const failed = h.stdout().split('\n').filter((l) => l.includes('failed to create stream'))
    return failed.length >= 3 ? failed.join('\n') : undefined
  })
  assert.match(lines, /delim\.yaml\(\d+,\d+\) delimiter value must be exactly one character \[input\.csv\.delimiter\]/)
  assert.match(lines, /count\.yaml\(\d+,\d+\) batch_count must be at least 1 \[input\.csv\.batch_count\]/)
  assert.match(lines, /none\.yaml\(\d+,\d+\) requires at least one input file path \[input\.csv\.paths\]/)
})
