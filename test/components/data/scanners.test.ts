import { test } from 'node:test'
import assert from 'node:assert/strict'
import { gzipSync, deflateRawSync } from 'node:zlib'
import { compressor } from '../../../src/bloblang/encoding/compression.js'
import { maskedCrc32c } from '../../../src/components/shared/decompress-stream.js'
import { scan, scanner } from './scanner-helpers.js'

test('csv scanner: header objects with csv_row, custom delimiter, quoted fields split across chunks', async () => {
  const r = await scan({ csv: { custom_delimiter: ';' } }, ['a;b\n1;"x\n', 'y"\n2;', '3\n'])
  assert.deepEqual(r.texts, ['{"a":"1","b":"x\\ny"}', '{"a":"2","b":"3"}'])
  assert.deepEqual(r.metas.map((m) => m.csv_row), ['0', '1'])
})

test('csv scanner: arrays without a header row; lazy quotes', async () => {
  const r = await scan({ csv: { parse_header_row: false, lazy_quotes: true } }, ['a,b"c\n', 'd,e'])
  assert.deepEqual(r.texts, ['["a","b\\"c"]', '["d","e"]'])
})

test('csv scanner: a bad row ends the scan, or with continue_on_error becomes a flagged message', async () => {
  await assert.rejects(scan({ csv: {} }, ['a,b\n1,2\n3\n4,5\n']), { message: 'record on line 3: wrong number of fields' })
  await assert.rejects(scan({ csv: {} }, ['a,b\n1,x"y\n']), { message: 'parse error on line 2, column 4: bare " in non-quoted-field' })
  const r = await scan({ csv: { continue_on_error: true } }, ['a,b\n1,2\n3\n4,5\n'])
  assert.deepEqual(r.texts, ['{"a":"1","b":"2"}', '{"a":"3"}', '{"a":"4","b":"5"}'])
  assert.deepEqual(r.errors, ['', 'record on line 3: wrong number of fields', ''])
  assert.deepEqual(r.metas.map((m) => m.csv_row), ['0', '1', '2'])
})

test('json_documents scanner: concatenated documents across chunk boundaries, then a syntax error', async () => {
  const r = await scan({ json_documents: {} }, ['{"a":1} {"b":', '[1,2]}\n"str" 12', '3 true'])
  assert.deepEqual(r.texts, ['{"a":1}', '{"b":[1,2]}', 'str', '123', 'true'])
  await assert.rejects(scan({ json_documents: {} }, ['{"a":1} {"b" 2}']), /invalid character/)
})

test('json_array scanner: elements as written, several arrays, and the reference errors', async () => {
  const r = await scan({ json_array: {} }, [' [ {"a": 1}, "x",', ' 3 ] [true]'])
  assert.deepEqual(r.texts, ['{"a": 1}', '"x"', '3', 'true'])
  await assert.rejects(scan({ json_array: {} }, ['{"a":1}']), { message: "expected opening '[' but got {" })
  await assert.rejects(scan({ json_array: {} }, ['']), { message: 'failed to read opening token: EOF' })
  const empty = await scan({ json_array: {} }, ['[]'])
  assert.deepEqual(empty.texts, [])
})

test('chunker scanner: fixed-size chunks regardless of how the source is chunked', async () => {
  const r = await scan({ chunker: { size: 4 } }, ['abcdef', 'ghij', 'k'])
  assert.deepEqual(r.texts, ['abcd', 'efgh', 'ijk'])
  await assert.rejects(scanner({ chunker: { size: 0 } }), /chunk size must be greater than zero/)
})

test('re_match scanner: segments start at each match; leading text is its own segment; token limit', async () => {
  const r = await scan({ re_match: { pattern: '(?m)^\\d\\d:' } }, ['pre\n10: a\nmore\n1', '1: b\n12: c'])
  assert.deepEqual(r.texts, ['pre\n', '10: a\nmore\n', '11: b\n', '12: c'])
  await assert.rejects(scan({ re_match: { pattern: 'X', max_buffer_size: 8 } }, ['0123456789abcdef']), /token too long/)
  await assert.rejects(scanner({ re_match: { pattern: '(' } }), /missing closing \)/)
})

test('skip_bom scanner: strips a UTF-8 or UTF-16 BOM (split across chunks) before the child scanner', async () => {
  const utf8 = await scan({ skip_bom: { into: { lines: {} } } }, [Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x61, 0x0a, 0x62])])
  assert.deepEqual(utf8.texts, ['a', 'b'])
  const none = await scan({ skip_bom: {} }, ['plain'])
  assert.deepEqual(none.texts, ['plain'])
  const utf16 = await scan({ skip_bom: {} }, [Buffer.from([0xff, 0xfe, 0x41, 0x00])])
  assert.deepEqual([...Buffer.from(utf16.texts[0]!)], [0x41, 0x00])
})

test('decompress scanner: every algorithm feeds its child scanner', async () => {
  const text = 'line one\nline two\n'
  const streams: Record<string, Uint8Array> = {
    gzip: Buffer.concat([gzipSync('line one\n'), gzipSync('line two\n')]),
    flate: deflateRawSync(text),
    zlib: compressor('zlib')(Buffer.from(text), -1),
    zstd: compressor('zstd')(Buffer.from(text), 3),
    lz4: compressor('lz4')(Buffer.from(text), -1),
    bzip2: Buffer.from('QlpoOTFBWSZTWcHAgOIAAAFBAAAQAkSgADDNAMNGKZcXckU4UJDBwIDi', 'base64'),
  }
  for (const [algorithm, data] of Object.entries(streams)) {
    const half = Math.floor(data.length / 2)
    const r = await scan({ decompress: { algorithm, into: { lines: {} } } }, [data.subarray(0, half), data.subarray(half)])
    assert.deepEqual(r.texts, algorithm === 'bzip2' ? ['hello'] : ['line one', 'line two'], algorithm)
  }
  // Snappy streams use the framing format: stream identifier, then compressed/uncompressed chunks.
  const block = compressor('snappy')(Buffer.from('line one\n'), -1)
  const crc = (text: string): Buffer => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(maskedCrc32c(Buffer.from(text)))
    return b
  }
  const chunk = (type: number, sum: Buffer, body: Uint8Array): Buffer => Buffer.concat([Buffer.from([type, body.length + 4, 0, 0]), sum, body])
  const framed = Buffer.concat([Buffer.from([0xff, 6, 0, 0]), Buffer.from('sNaPpY'), chunk(0x00, crc('line one\n'), block), chunk(0x01, crc('line two\n'), Buffer.from('line two\n'))])
  const snappy = await scan({ decompress: { algorithm: 'snappy', into: { lines: {} } } }, [framed])
  assert.deepEqual(snappy.texts, ['line one', 'line two'])
  // CRC-32C check value of "123456789" is 0xe3069283, masked as snappy does.
  assert.equal(maskedCrc32c(Buffer.from('123456789')), (((0xe3069283 >>> 15) | (0xe3069283 << 17)) + 0xa282ead8) >>> 0)
  const corrupt = Buffer.concat([Buffer.from([0xff, 6, 0, 0]), Buffer.from('sNaPpY'), chunk(0x01, Buffer.alloc(4), Buffer.from('x'))])
  await assert.rejects(scan({ decompress: { algorithm: 'snappy' } }, [corrupt]), { message: 'snappy: corrupt input' })
  await assert.rejects(scanner({ decompress: { algorithm: 'nope' } }), /compression type not recognised: nope/)
  await assert.rejects(scan({ decompress: { algorithm: 'gzip', into: { lines: {} } } }, ['not gzip at all']), /incorrect header check/)
})
