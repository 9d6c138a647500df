import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { WeirError } from '../../../src/errors.js'
import { compressor, decompressor } from '../../../src/bloblang/encoding/compression.js'
import { buildError, tempDir } from '../../stream/harness.js'
import { runPipeline } from './run-helpers.js'

const proc = (...p: unknown[]): Record<string, unknown> => ({ pipeline: { processors: p } })

async function buildFails(processor: unknown): Promise<[string, string | undefined, string]> {
  const err = await buildError({ input: { generate: { mapping: 'root = 1' } }, ...proc(processor), output: { drop: {} } })
  assert.ok(err instanceof WeirError, String(err))
  return [err.data.code, err.data.path, err.message]
}

test('archive: every format, N messages into one carrying the first message metadata', async (t) => {
  const input = [{ content: '{"a":1}', metadata: { m: 'first' } }, { content: '{"b":2}', metadata: { m: 'second' } }]
  const expect: Record<string, string> = {
    concatenate: '{"a":1}{"b":2}',
    lines: '{"a":1}\n{"b":2}',
    json_array: '[{"a":1},{"b":2}]',
  }
  for (const [format, text] of Object.entries(expect)) {
    const r = await runPipeline(t, proc({ archive: { format } }), [input])
    assert.deepEqual(r.batches, [[text]], format)
    assert.equal(r.metas[0]!.m, 'first')
  }
  const bin = await runPipeline(t, proc({ archive: { format: 'binary' } }, { mapping: 'root = content().encode("hex")' }), [['ab', 'c']])
  assert.deepEqual(bin.texts, ['00000002000000026162000000016' + '3'])
})

test('archive + unarchive round trips tar, zip and binary, naming items from path', async (t) => {
  for (const format of ['tar', 'zip', 'binary']) {
    const r = await runPipeline(
      t,
      proc({ archive: { format, path: 'item-${! batch_index() }.txt' } }, { unarchive: { format } }),
      [['one', 'two', '']],
    )
    assert.deepEqual(r.texts, ['one', 'two', ''], format)
    if (format !== 'binary') assert.deepEqual(r.metas.map((m) => m.archive_filename), ['item-0.txt', 'item-1.txt', 'item-2.txt'])
  }
})

test('archive tar and zip are read by the system tools, and their archives are read back', async (t) => {
  const dir = tempDir(t)
  const hasUnzip = spawnSync('unzip', ['-v']).status === 0
  const r = await runPipeline(t, proc({ archive: { format: 'tar', path: 'd/${! content() }.txt' } }, { mapping: 'root = content().encode("base64")' }), [['x', 'y']])
  writeFileSync(join(dir, 'a.tar'), Buffer.from(r.texts[0]!, 'base64'))
  assert.equal(execFileSync('tar', ['-tf', join(dir, 'a.tar')], { encoding: 'utf8' }), 'd/x.txt\nd/y.txt\n')
  // An archive made by tar (a directory entry, a long name through PAX/GNU records) unarchives.
  mkdirSync(join(dir, 'src'))
  const long = 'n'.repeat(120) + '.txt'
  writeFileSync(join(dir, 'src', long), 'long')
  writeFileSync(join(dir, 'src', 'short.txt'), 'short')
  execFileSync('tar', ['-cf', join(dir, 'b.tar'), '-C', dir, 'src'])
  const back = await runPipeline(t, proc({ mapping: 'root = content().decode("base64")' }, { unarchive: { format: 'tar' } }), [[readFileSync(join(dir, 'b.tar')).toString('base64')]])
  const byName = Object.fromEntries(back.metas.map((m, i) => [m.archive_filename!, back.texts[i]]))
  assert.equal(byName[`src/${long}`], 'long')
  assert.equal(byName['src/short.txt'], 'short')
  assert.equal(byName['src/'], '')
  if (hasUnzip) {
    const z = await runPipeline(t, proc({ archive: { format: 'zip', path: '${! content() }.txt' } }, { mapping: 'root = content().encode("base64")' }), [['p', 'q']])
    writeFileSync(join(dir, 'a.zip'), Buffer.from(z.texts[0]!, 'base64'))
    assert.equal(execFileSync('unzip', ['-p', join(dir, 'a.zip'), 'q.txt'], { encoding: 'utf8' }), 'q')
  }
})

test('unarchive: lines, json_documents, json_array, json_map (archive_key), csv and csv:x', async (t) => {
  const cases: [string, string, string[]][] = [
    ['lines', 'a\nb\n', ['a', 'b', '']],
    ['json_documents', '{"a":1} [2]\n"s"', ['{"a":1}', '[2]', 's']],
    ['json_array', '[1,{"x":"y"}]', ['1', '{"x":"y"}']],
    ['csv', 'h1,h2\n1,2\n3,4\n', ['{"h1":"1","h2":"2"}', '{"h1":"3","h2":"4"}']],
    ['csv:|', 'h1|h2\n1|2\n', ['{"h1":"1","h2":"2"}']],
  ]
  for (const [format, input, out] of cases) {
    const r = await runPipeline(t, proc({ unarchive: { format } }), [[{ content: input, metadata: { keep: 'yes' } }]])
    assert.deepEqual(r.texts, out, format)
    assert.ok(r.metas.every((m) => m.keep === 'yes'), format)
  }
  const map = await runPipeline(t, proc({ unarchive: { format: 'json_map' } }), [['{"k1":"v1","k2":[2]}']])
  assert.deepEqual(map.texts, ['v1', '[2]'])
  assert.deepEqual(map.metas.map((m) => m.archive_key), ['k1', 'k2'])
})

test('unarchive: bad input is flagged and kept; bad formats fail the build with the reference errors', async (t) => {
  const r = await runPipeline(t, proc({ unarchive: { format: 'json_array' } }), [['{"a":1}', 'ok?']])
  assert.deepEqual(r.texts, ['{"a":1}', 'ok?'])
  assert.equal(r.errors[0], "failed to parse message into JSON array: invalid type 'map[string]interface {}'")
  assert.match(r.errors[1]!, /^failed to parse message into JSON array: /)
  const csv = await runPipeline(t, proc({ unarchive: { format: 'csv' } }), [['a,b\n1\n']])
  assert.deepEqual(csv.errors, ['failed to parse message as csv: record on line 2: wrong number of fields'])
  const bin = await runPipeline(t, proc({ unarchive: { format: 'binary' } }), [['xy']])
  assert.deepEqual(bin.errors, ['serialised message bytes were in unexpected format'])
  assert.deepEqual(await buildFails({ unarchive: { format: 'csv:ab' } }), ['CONFIG_INVALID', 'pipeline.processors[0].unarchive.format', 'csv format requires a single character delimiter'])
  assert.deepEqual(await buildFails({ unarchive: { format: 'rar' } }), ['CONFIG_INVALID', 'pipeline.processors[0].unarchive.format', 'archive format not recognised: rar'])
})

test('archive json_array: a non-JSON message flags the whole batch, which passes on unchanged', async (t) => {
  const r = await runPipeline(t, proc({ archive: { format: 'json_array' } }), [['{"a":1}', 'nope']])
  assert.deepEqual(r.batches, [['{"a":1}', 'nope']])
  assert.ok(r.errors.every((e) => e.startsWith('failed to parse message as JSON: ')), r.errors.join())
})

test('compress then decompress restores every algorithm; levels and failures as the reference', async (t) => {
  const text = 'hello hello hello compression '.repeat(20)
  for (const algorithm of ['flate', 'gzip', 'lz4', 'pgzip', 'snappy', 'zlib', 'zstd']) {
    const r = await runPipeline(t, proc({ compress: { algorithm, level: 9 } }, { mapping: 'root = content().length().string() + ":" + content().string()' }), [[text]])
    const [len] = r.texts[0]!.split(':')
    assert.ok(Number(len) < text.length, `${algorithm} compresses (${len})`)
    const back = await runPipeline(t, proc({ compress: { algorithm } }, { decompress: { algorithm } }), [[text, '']])
    assert.deepEqual(back.texts, [text, ''], algorithm)
  }
  const bad = await runPipeline(t, proc({ compress: { algorithm: 'gzip', level: 12 } }), [['x']])
  assert.deepEqual([bad.texts, bad.errors], [['x'], ['gzip: invalid compression level: 12']])
  const garbage = await runPipeline(t, proc({ decompress: { algorithm: 'gzip' } }), [['not gzip']])
  assert.deepEqual(garbage.texts, ['not gzip'])
  assert.notEqual(garbage.errors[0], '')
  assert.deepEqual(await buildFails({ compress: { algorithm: 'bzip2' } }), ['CONFIG_INVALID', 'pipeline.processors[0].compress.algorithm', 'compression type not recognised: bzip2'])
  assert.deepEqual(await buildFails({ decompress: { algorithm: 'brotli' } }), ['CONFIG_INVALID', 'pipeline.processors[0].decompress.algorithm', 'compression type not recognised: brotli'])
})

// The formats match the reference's libraries on the wire: the system tools read what we write
// and we read what they write.
for (const [algorithm, tool] of [['zstd', 'zstd'], ['lz4', 'lz4'], ['gzip', 'gzip'], ['bzip2', 'bzip2']] as const) {
  const has = spawnSync(tool, ['--version']).error === undefined
  test(`${algorithm} interoperates with the ${tool} command`, { skip: has ? false : `${tool} is not installed` }, () => {
    const text = Buffer.from('interop '.repeat(1000))
    const packed = execFileSync(tool, ['-c'], { input: text })
    assert.deepEqual(Buffer.from(decompressor(algorithm)(packed)), text)
    if (algorithm !== 'bzip2') {
      const ours = compressor(algorithm)(text, -1)
      assert.deepEqual(execFileSync(tool, ['-d', '-c'], { input: ours }), text)
    }
  })
}
