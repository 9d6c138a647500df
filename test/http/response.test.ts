/**
 * Response framing as net/http decides it, in the one place Weir decides it (`responseHead`):
 * the worker applies it before the port, own-address servers and the harness before writing.
 * Over real sockets the contract suite (route-contract.test.ts) checks the same on every server.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { responseHead, textResponse } from '../../src/http/index.js'

test('a complete body of up to 2048 bytes gets a Content-Length after the handler headers', () => {
  assert.deepEqual(responseHead({ status: 200, headers: [['X-A', '1'], ['x-a', '2']], body: 'héllo' }), ['X-A', '1', 'x-a', '2', 'Content-Length', '6'])
  assert.deepEqual(responseHead({ status: 502, headers: [], body: new Uint8Array(2048) }), ['Content-Length', '2048'])
  assert.deepEqual(responseHead({ status: 200, headers: [], body: '' }), ['Content-Length', '0'])
})

test('a larger body is left to chunked encoding; framing the handler set is kept as is', () => {
  assert.deepEqual(responseHead({ status: 200, headers: [], body: new Uint8Array(2049) }), [])
  assert.deepEqual(responseHead({ status: 200, headers: [['content-length', '3']], body: 'abc' }), ['content-length', '3'])
  assert.deepEqual(responseHead({ status: 200, headers: [['Transfer-Encoding', 'chunked']], body: 'abc' }), ['Transfer-Encoding', 'chunked'])
})

test('statuses without a body carry no framing headers (and 304 no Content-Type), as net/http suppresses them', () => {
  const headers: [string, string][] = [['Content-Type', 'text/plain'], ['Content-Length', '3'], ['Transfer-Encoding', 'chunked'], ['X-Keep', 'yes']]
  assert.deepEqual(responseHead({ status: 204, headers, body: 'abc' }), ['Content-Type', 'text/plain', 'X-Keep', 'yes'])
  assert.deepEqual(responseHead({ status: 304, headers, body: 'abc' }), ['X-Keep', 'yes'])
  assert.deepEqual(responseHead({ status: 101, headers: [], body: '' }), [])
})

test('textResponse is http.Error: text and newline, plain text, nosniff', () => {
  const r = textResponse(503, 'Service unavailable')
  assert.deepEqual(responseHead(r), ['Content-Type', 'text/plain; charset=utf-8', 'X-Content-Type-Options', 'nosniff', 'Content-Length', '20'])
  assert.equal(r.body, 'Service unavailable\n')
})

test('raw header lookup matches names case-insensitively as toLowerCase does, without lowering a copy', async () => {
  const { rawHeader } = await import('../../src/http/index.js')
  const raw = ['Host', 'h', 'CONTENT-length', '12', 'content-type', '', 'Content-Type', 'text/plain']
  assert.equal(rawHeader(raw, 'content-length'), '12')
  assert.equal(rawHeader(raw, 'content-type'), '')
  assert.equal(rawHeader(raw, 'content-type', true), 'text/plain')
  assert.equal(rawHeader(raw, 'accept-encoding'), undefined)
  // Lowered, the Kelvin sign is a `k`: the lookup agrees with toLowerCase past ASCII too.
  assert.equal(rawHeader(['\u212Aeep-alive', 'x'], 'keep-alive'), 'x')
  assert.equal(rawHeader(['Cont\u00e9nt-Length', 'x'], 'content-length'), undefined)
  fc.assert(
    fc.property(fc.string({ maxLength: 16, unit: fc.constantFrom('a', 'A', 'k', 'K', '-', '\u212A', '\u00e9', '[', '@', 'z', 'Z') }), fc.string({ maxLength: 16, unit: fc.constantFrom('a', 'k', '-', 'z', '[', '@') }), (name, lower) => {
      const expected = name.length === lower.length && name.toLowerCase() === lower ? 'v' : undefined
      assert.equal(rawHeader([name, 'v'], lower), expected)
    }),
    { numRuns: 2000 },
  )
})
