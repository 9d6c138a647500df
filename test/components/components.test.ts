import { test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { WeirError } from '../../src/errors.js'
import { Message } from '../../src/message/message.js'
import { createRegistry, defaultRegistry, BUILTIN_SPECS } from '../../src/components/registry.js'
import { stdoutOutput } from '../../src/components/outputs/stdout.js'
import { linesScanner } from '../../src/components/scanners/lines.js'
import { startStream, buildError, localResources, tempDir, until, deadline } from '../stream/harness.js'
import { TEST_SPECS, capture } from '../stream/test-components.js'

test('the default registry holds every Tier-1 component of this set and rejects duplicates', () => {
  const r = defaultRegistry()
  const has = (kind: Parameters<typeof r.names>[0], names: string[]): string[] => names.filter((n) => r.names(kind).includes(n))
  const inputs = ['file', 'generate', 'http_server', 'stdin']
  const processors = ['bloblang', 'log', 'mapping', 'mutation', 'noop', 'sleep', 'sync_response']
  const outputs = ['drop', 'file', 'stdout', 'sync_response']
  assert.deepEqual(has('input', inputs), inputs)
  assert.deepEqual(has('processor', processors), processors)
  assert.deepEqual(has('output', outputs), outputs)
  assert.deepEqual(has('buffer', ['memory', 'none']), ['memory', 'none'])
  assert.deepEqual(has('cache', ['memory']), ['memory'])
  assert.deepEqual(has('rate_limit', ['local']), ['local'])
  assert.deepEqual(has('scanner', ['lines', 'to_the_end']), ['lines', 'to_the_end'])
  assert.equal(r.get('processor', 'mapping')?.name, 'mapping')
  assert.equal(r.get('processor', 'nope'), undefined)
  assert.throws(() => createRegistry([...BUILTIN_SPECS, BUILTIN_SPECS[0]!]), /duplicate input component 'generate'/)
})

test('stdout codecs frame messages as the reference does', async () => {
  const written: string[] = []
  const sink = async (b: Uint8Array): Promise<void> => void written.push(Buffer.from(b).toString())
  await stdoutOutput('lines', sink).write([new Message('a'), new Message('b\n'), new Message('')], new AbortController().signal)
  await stdoutOutput('delim:|', sink).write([new Message('c'), new Message('d|')], new AbortController().signal)
  await stdoutOutput('append', sink).write([new Message('e')], new AbortController().signal)
  assert.deepEqual(written, ['a\nb\n\n', 'c|d|', 'e'])
  assert.throws(() => stdoutOutput('all-bytes', sink), (e: unknown) => e instanceof WeirError && e.data.path === 'codec')
})

test('lines scanner: CRLF, custom delimiter, omit_empty, final line, and the size limit', async () => {
  const read = async (chunks: string[], conf: Parameters<typeof linesScanner>[0]): Promise<string[]> => {
    const r = linesScanner(conf).open(Readable.from(chunks.map((c) => Buffer.from(c))))
    const out: string[] = []
    for (let b = await r.next(); b; b = await r.next()) out.push(...b.map((m) => m.text()))
    return out
  }
  assert.deepEqual(await read(['a\r', '\nb\n\nc'], { max_buffer_size: 100, omit_empty: false }), ['a', 'b', '', 'c'])
  assert.deepEqual(await read(['a\r', '\nb\n\nc\n'], { max_buffer_size: 100, omit_empty: true }), ['a', 'b', 'c'])
  assert.deepEqual(await read(['x::y:', ':z\r'], { custom_delimiter: '::', max_buffer_size: 100, omit_empty: false }), ['x', 'y', 'z\r'])
  await assert.rejects(read(['0123456789abc'], { max_buffer_size: 5, omit_empty: false }), /token too long/)
})

test('memory cache: set/get/add/delete, duplicate add, and TTL expiry', async () => {
  const res = await localResources(defaultRegistry(), { cache: { c: { memory: { default_ttl: '1h', compaction_interval: '1ms', init_values: { seed: 'v0' } } } } })
  const c = res.cache('c')
  const text = async (k: string): Promise<string | undefined> => {
    const v = await c.get(k)
    return v === undefined ? undefined : Buffer.from(v).toString()
  }
  assert.equal(await text('seed'), 'v0')
  await c.set('k', Buffer.from('1'))
  assert.equal(await text('k'), '1')
  await assert.rejects(c.add('k', Buffer.from('2')), /key already exists/)
  await c.add('k2', Buffer.from('2'))
  await c.delete('k')
  await c.delete('missing')
  assert.equal(await text('k'), undefined)
  await c.set('short', Buffer.from('s'), 5)
  await until('ttl expiry', async () => (await text('short')) === undefined)
  assert.equal(await text('k2'), '2')
})

test('local rate limit: count accesses per window, then the rest of the window to wait', async () => {
  const res = await localResources(defaultRegistry(), { rate_limit: { r: { local: { count: 2, interval: '1h' } } } })
  const rl = res.rateLimit('r')
  assert.equal(await rl.access(), 0)
  assert.equal(await rl.access(), 0)
  const wait = await rl.access()
  assert.ok(wait > 3_500_000 && wait <= 3_600_000, String(wait))
  await assert.rejects(localResources(defaultRegistry(), { rate_limit: { bad: { local: { count: 0 } } } }), /count must be larger than zero/)
})

test('log processor writes one structured line per message and leaves messages unchanged', async (t) => {
  const name = 'logged'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 2, interval: '', mapping: 'root = {"id": count("logp")}' } },
      pipeline: { processors: [{ log: { level: 'warn', message: 'seen ${! json("id") }', fields_mapping: 'root.id = this.id\nroot.kind = "x y"' } }] },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['{"id":1}', '{"id":2}'])
  assert.deepEqual(
    h.logs.filter((l) => l.includes('custom_source')),
    [
      'level=warning msg="seen 1" custom_source=true id=1 kind="x y" label="" path=root.pipeline.processors.0 stream=test\n',
      'level=warning msg="seen 2" custom_source=true id=2 kind="x y" label="" path=root.pipeline.processors.0 stream=test\n',
    ],
  )
})

test('generate skips deleted messages without counting them, and rejects cron schedules', async (t) => {
  const name = 'gen-deleted'
  const h = await startStream(
    t,
    {
      input: { generate: { count: 3, interval: '@every 1ms', mapping: 'let n = count("gendel")\nroot = if $n % 2 == 0 { deleted() } else { $n }' } },
      output: { capture: { name } },
    },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['1', '3', '5'])
  const err = await buildError({ input: { generate: { mapping: 'root = 1', interval: '0 * * * * *' } }, output: { drop: {} } })
  assert.ok(err instanceof WeirError)
  assert.deepEqual([err.data.code, err.data.path], ['CONFIG_INVALID', 'input.generate.interval'])
})

test('file input logs and skips a file whose line exceeds the scanner limit, then ends', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, '1.txt'), 'ok\n' + 'x'.repeat(100) + '\nnever\n')
  writeFileSync(join(dir, '2.txt'), 'second\n')
  const name = 'file-long'
  const h = await startStream(
    t,
    { input: { file: { paths: [join(dir, '1.txt'), join(dir, '2.txt')], scanner: { lines: { max_buffer_size: 10 } } } }, output: { capture: { name } } },
    { extraSpecs: TEST_SPECS },
  )
  await deadline(h.stream.finished, 10_000, 'stream to finish')
  assert.deepEqual(capture(name).texts, ['ok', 'second'])
  assert.ok(h.logs.some((l) => l.includes('msg="Failed to read message: bufio.Scanner: token too long"')))
})

test('the to_the_end scanner and the deprecated codec field', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'all.txt'), 'a\nb\n')
  writeFileSync(join(dir, 'delim.txt'), 'a;b;c')
  const h1 = await startStream(t, { input: { file: { paths: [join(dir, 'all.txt')], scanner: { to_the_end: {} } } }, output: { capture: { name: 'tte' } } }, { extraSpecs: TEST_SPECS })
  const h2 = await startStream(t, { input: { file: { paths: [join(dir, 'delim.txt')], codec: 'delim:;' } }, output: { capture: { name: 'codec' } } }, { extraSpecs: TEST_SPECS })
  await deadline(Promise.all([h1.stream.finished, h2.stream.finished]), 10_000, 'streams to finish')
  assert.deepEqual(capture('tte').texts, ['a\nb\n'])
  assert.deepEqual(capture('codec').texts, ['a', 'b', 'c'])
})

test('sync_response output without a request to answer fails the write', async (t) => {
  const h = await startStream(t, { input: { generate: { count: 1, interval: '', mapping: 'root = 1' } }, output: { sync_response: {} } })
  await until('write failure logged', () => h.logs.some((l) => l.includes('result store not found within batch context')))
  assert.ok((h.metrics.stats()['output_error{label="",path="root.output",stream="test"}'] as number) >= 1)
})
