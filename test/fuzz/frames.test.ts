/**
 * Fuzzing the port frame codecs (src/protocol): random batches and HTTP frames round-trip exactly
 * through a structured clone with their transfer lists (what postMessage does); corrupted or
 * truncated frames are refused with a WeirError `INTERNAL`, never decoded wrongly, never a crash.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { WeirError } from '../../src/errors.js'
import { Message } from '../../src/message/message.js'
import { decodeBatch, encodeBatch } from '../../src/protocol/wire-batch.js'
import { FrameWriter, readRequests, readResponses, type FrameRequest, type FrameResponse } from '../../src/protocol/http-frames.js'
import type { HttpField, HttpFrame, WireBatch } from '../../src/protocol/messages.js'
import type { Value } from '../../src/value/value-types.js'
import { fuzzParams } from './settings.js'

/** Bytes, sometimes as a view into a larger buffer (as pooled Buffers are). */
const bytes = (maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.uint8Array({ maxLength }), fc.nat({ max: 16 }), fc.nat({ max: 16 })).map(([b, before, after]) => {
    if (before === 0 && after === 0) return b
    const big = new Uint8Array(before + b.byteLength + after).fill(0xee)
    big.set(b, before)
    return big.subarray(before, before + b.byteLength)
  })

/** Metadata values that survive a structured clone as themselves. */
const metaValue: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.double({ noNaN: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 8 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 3, noNullPrototype: true }),
  ),
})).v

const messageError = fc.option(
  fc.record({ message: fc.string() }, { requiredKeys: ['message'] }).chain((e) =>
    fc.record({ sourceName: fc.string(), sourceLabel: fc.string(), sourcePath: fc.string() }, { requiredKeys: [] }).map((x) => ({ ...e, ...x })),
  ),
  { nil: undefined },
)

const message = fc
  .tuple(bytes(300), fc.uniqueArray(fc.tuple(fc.string({ maxLength: 10 }), metaValue), { selector: ([k]) => k, maxLength: 4 }), messageError)
  .map(([content, meta, error]) => {
    const m = new Message(content, meta.length ? new Map(meta) : undefined)
    if (error) m.error = error
    return m
  })

const batch = fc.array(message, { maxLength: 8 })

/** What postMessage does to a frame: a structured clone that moves the transferred buffers. */
function across<T>(value: T, transfer: ArrayBuffer[]): T {
  return structuredClone(value, { transfer })
}

function refused(fn: () => unknown): boolean {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof WeirError, `refused with a WeirError, not ${String(err)}`)
    assert.equal(err.code, 'INTERNAL')
    return true
  }
  return false
}

/** A body past the shared-buffer threshold (64 KiB), cheap to generate: a pattern, not random bytes. */
const largeBody = fc.tuple(fc.nat({ max: 40 }), fc.nat({ max: 255 })).map(([extra, seed]) => new Uint8Array(64 * 1024 + extra).map((_, i) => (i * 31 + seed) & 0xff))

const plainBytes = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')

test('wire batches round-trip exactly: bytes, metadata, error flags', () => {
  fc.assert(
    fc.property(batch, (sent) => {
      const expected = sent.map((m) => ({ bytes: plainBytes(m.bytes()), meta: [...m.metadata], error: m.error ? { ...m.error } : undefined }))
      const { wire, transfer } = encodeBatch(sent)
      const got = decodeBatch(across(wire, transfer))
      assert.deepEqual(
        got.map((m) => ({ bytes: plainBytes(m.bytes()), meta: [...m.metadata], error: m.error })),
        expected,
      )
    }),
    fuzzParams(300),
  )
})

/** A corruption that always breaks one of the frame's invariants (so a decode would be wrong). */
type BatchCorruption = (w: WireBatch, pick: number, delta: number) => WireBatch | undefined
const batchCorruptions: Record<string, BatchCorruption> = {
  'size grows': (w, i, d) => (w.sizes.length ? { ...w, sizes: w.sizes.map((s, k) => (k === i % w.sizes.length ? s + 1 + d : s)) } : undefined),
  'size shrinks': (w, i, d) => {
    const k = w.sizes.findIndex((s) => s > 0)
    if (k < 0) return undefined
    return { ...w, sizes: w.sizes.map((s, j) => (j === k ? Math.max(0, s - 1 - (d % s)) : s)) }
  },
  'data truncated': (w, _i, d) => (w.data.byteLength ? { ...w, data: w.data.slice(0, Math.max(0, w.data.byteLength - 1 - (d % w.data.byteLength))) } : undefined),
  'data grows': (w, _i, d) => {
    const data = new ArrayBuffer(w.data.byteLength + 1 + d)
    new Uint8Array(data).set(new Uint8Array(w.data))
    return { ...w, data }
  },
  'a size dropped': (w) => (w.sizes.length ? { ...w, sizes: w.sizes.slice(0, -1) } : undefined),
  'a metadata entry dropped': (w) => (w.meta.length ? { ...w, meta: w.meta.slice(0, -1) } : undefined),
  'an error entry dropped': (w) => (w.errors.length ? { ...w, errors: w.errors.slice(0, -1) } : undefined),
  'negative size': (w, i) => (w.sizes.length ? { ...w, sizes: w.sizes.map((s, k) => (k === i % w.sizes.length ? -1 - s : s)) } : undefined),
  'fractional size': (w, i) => (w.sizes.length ? { ...w, sizes: w.sizes.map((s, k) => (k === i % w.sizes.length ? s + 0.5 : s)) } : undefined),
  'NaN size': (w, i) => (w.sizes.length ? { ...w, sizes: w.sizes.map((s, k) => (k === i % w.sizes.length ? Number.NaN : s)) } : undefined),
  'metadata not pairs': (w, i) => (w.meta.length ? { ...w, meta: w.meta.map((m, k) => (k === i % w.meta.length ? ([[1, 'x']] as unknown as [string, Value][]) : m)) } : undefined),
  'error without message': (w, i) => (w.errors.length ? { ...w, errors: w.errors.map((e, k) => (k === i % w.errors.length ? ({ sourceName: 'x' } as unknown as { message: string }) : e)) } : undefined),
  'not a buffer': (w) => ({ ...w, data: new Uint8Array(w.data) as unknown as ArrayBuffer }),
}

test('corrupt or truncated wire batches are refused with an error, never decoded', () => {
  fc.assert(
    fc.property(batch, fc.constantFrom(...Object.keys(batchCorruptions)), fc.nat(), fc.nat({ max: 64 }), (sent, how, pick, delta) => {
      const { wire } = encodeBatch(sent)
      const bad = batchCorruptions[how]!(wire, pick, delta)
      fc.pre(bad !== undefined)
      assert.ok(refused(() => decodeBatch(bad)), `${how}: decoded instead of refused`)
    }),
    fuzzParams(300),
  )
})

// Half the strings come from a small pool, so entries of one frame repeat names and values at the
// same places (written as null markers) as real clients and endpoints do.
const str = fc.oneof(fc.string({ maxLength: 24, unit: 'binary' }), fc.constantFrom('', 'Host', 'application/json', '/in', 'POST'))
const headers = fc.array(str, { maxLength: 8 })
const requestArb: fc.Arbitrary<Omit<FrameRequest, 'id'>> = fc.record({
  endpoint: str,
  method: str,
  path: str,
  query: str,
  remoteAddress: str,
  rawHeaders: headers,
  // Parameter names come from route templates in configs: any string, `__proto__` included.
  params: fc.dictionary(fc.oneof(str, fc.constantFrom('__proto__', 'constructor', 'toString')), str, { maxKeys: 4 }),
  body: fc.oneof({ weight: 4, arbitrary: bytes(200) }, { weight: 1, arbitrary: largeBody }),
})
const responseArb: fc.Arbitrary<FrameResponse> = fc.record({
  id: fc.nat(),
  status: fc.integer({ min: 100, max: 599 }),
  headers,
  body: fc.oneof(bytes(200), fc.string({ maxLength: 40 }), largeBody),
})

const plainRequest = (r: FrameRequest): unknown => ({ ...r, params: Object.entries(r.params), body: plainBytes(r.body) })
const plainResponse = (r: FrameResponse): unknown => ({ ...r, body: typeof r.body === 'string' ? r.body : plainBytes(r.body) })

function requestFrame(reqs: Omit<FrameRequest, 'id'>[]): { frame: HttpFrame; transfer: ArrayBuffer[]; expected: unknown[] } {
  const expected = reqs.map((r, id) => plainRequest({ ...r, id }))
  const w = new FrameWriter()
  reqs.forEach((r, id) => w.request(id, r))
  return { ...w.take(), expected }
}

function responseFrame(resps: FrameResponse[]): { frame: HttpFrame; transfer: ArrayBuffer[]; expected: unknown[] } {
  const expected = resps.map(plainResponse)
  const w = new FrameWriter()
  for (const r of resps) w.response(r)
  return { ...w.take(), expected }
}

test('HTTP request and response frames round-trip exactly', () => {
  fc.assert(
    fc.property(fc.array(requestArb, { maxLength: 5 }), fc.array(responseArb, { maxLength: 5 }), (reqs, resps) => {
      const rq = requestFrame(reqs)
      const gotRq: unknown[] = []
      readRequests(across(rq.frame, rq.transfer), (r) => gotRq.push(plainRequest(r)))
      assert.deepEqual(gotRq, rq.expected)
      const rs = responseFrame(resps)
      const gotRs: unknown[] = []
      readResponses(across(rs.frame, rs.transfer), (r) => gotRs.push(plainResponse(r)))
      assert.deepEqual(gotRs, rs.expected)
    }),
    fuzzParams(200),
  )
})

type FrameCorruption = (f: HttpFrame, pick: number) => HttpFrame | undefined
const withField = (f: HttpFrame, pick: number, fn: (v: HttpField) => HttpField | undefined): HttpFrame | undefined => {
  if (!f.fields.length) return undefined
  const i = pick % f.fields.length
  const v = fn(f.fields[i]!)
  return v === undefined ? undefined : { ...f, fields: f.fields.map((x, k) => (k === i ? v : x)) }
}
const frameCorruptions: Record<string, FrameCorruption> = {
  'fields truncated': (f, pick) => (f.fields.length ? { ...f, fields: f.fields.slice(0, pick % f.fields.length) } : undefined),
  'extra field': (f) => ({ ...f, fields: [...f.fields, 0] }),
  'bodies truncated': (f, pick) => (f.bodies.byteLength ? { ...f, bodies: f.bodies.slice(0, pick % f.bodies.byteLength) } : undefined),
  'bodies grow': (f) => ({ ...f, bodies: new ArrayBuffer(f.bodies.byteLength + 1) }),
  'count off': (f, pick) => ({ ...f, count: f.count + 1 + (pick % 3) }),
  'count short': (f) => (f.count ? { ...f, count: f.count - 1 } : undefined),
  'string where a number is': (f, pick) => withField(f, pick, (v) => (typeof v === 'number' ? String(v) : undefined)),
  'number where a string is': (f, pick) => withField(f, pick, (v) => (typeof v === 'string' && f.fields.length ? 7 : undefined)),
  'huge length': (f, pick) => withField(f, pick, (v) => (typeof v === 'number' ? v + 1e9 : undefined)),
  'negative length': (f, pick) => withField(f, pick, (v) => (typeof v === 'number' && v > 0 ? -v : undefined)),
  'not a frame': () => ({ fields: 'x' } as unknown as HttpFrame),
  // A repeat marker is legal where the previous entry had a string at the same place.
  'null anywhere': (f, pick) => withField(f, pick, () => null),
}

/**
 * Some field edits are legal frames (a number in a string slot may land on an id, a status, or a
 * body given as text), so only edits the format can detect are required to be refused; the rest
 * must still decode without crashing and without reading outside the frame.
 */
const ALWAYS_DETECTED = new Set(['fields truncated', 'extra field', 'bodies truncated', 'bodies grow', 'count off', 'count short', 'not a frame'])

test('corrupt or truncated HTTP frames are refused with an error, never half-dispatched', () => {
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(requestArb, { minLength: 1, maxLength: 4 }),
      fc.array(responseArb, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(...Object.keys(frameCorruptions)),
      fc.nat(),
      (requests, reqs, resps, how, pick) => {
        const { frame } = requests ? requestFrame(reqs) : responseFrame(resps)
        const bad = frameCorruptions[how]!(frame, pick)
        fc.pre(bad !== undefined)
        let calls = 0
        const wasRefused = refused(() => (requests ? readRequests(bad, () => calls++) : readResponses(bad, () => calls++)))
        if (wasRefused) assert.equal(calls, 0, `${how}: refused after dispatching ${calls} entries`)
        else assert.ok(!ALWAYS_DETECTED.has(how), `${how}: decoded instead of refused`)
      },
    ),
    fuzzParams(300),
  )
})
