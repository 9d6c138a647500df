/**
 * A mapping's result crosses the port as JSON text (short) or bytes (long): either way the client
 * gets exactly the bytes the mapping's message holds, with a Content-Length counting bytes.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { startHost } from '../helpers/cli-host.js'
import { compileMapping } from '../../src/bloblang/index.js'

const stream = (mapping: string): string => `input:
  http_server:
    path: /in
pipeline:
  processors:
    - mapping: '${mapping}'
output:
  sync_response: {}
`

/** Raw response over node:http: status, headers and body bytes. */
function post(url: string, body: string): Promise<{ status: number; length: string | undefined; chunked: boolean; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'], chunked: res.headers['transfer-encoding'] === 'chunked', body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('sync responses carry the mapped bytes exactly, short text and long alike', async (t) => {
  const mappings = { doc: 'root = this', text: 'root = "héllo " + this.name' }
  const h = await startHost(t, { files: { 'doc.yaml': stream(mappings.doc), 'text.yaml': stream(mappings.text) } })
  await h.until('both endpoints to answer', async () => (await h.text('/doc/in', { method: 'POST', body: '{}' })).status === 200 && (await h.text('/text/in', { method: 'POST', body: '{"name":"x"}' })).status === 200)
  const cases: [keyof typeof mappings, string][] = [
    ['doc', '{"pet":"🐱","name":"zoë","n":1.50,"big":12345678901234567890,"e":1e3}'],
    ['doc', '{"lone":"\\ud800","ctl":"\\u0001","html":"<&>"}'],
    // Past the text limit (bytes), still under 2 KiB (Content-Length).
    ['doc', JSON.stringify({ s: 'a'.repeat(1500) })],
    // Past the 2 KiB Content-Length limit too: bytes, chunked.
    ['doc', JSON.stringify({ s: 'ü'.repeat(20_000), z: 1 })],
    ['text', '{"name":"ßaß 🐱"}'],
  ]
  for (const [id, input] of cases) {
    const expected = Buffer.from(compileMapping(mappings[id]).apply({ content: input })!.content)
    const r = await post(`${h.base}/${id}/in`, input)
    assert.equal(r.status, 200, input.slice(0, 40))
    assert.deepEqual(r.body, expected, input.slice(0, 40))
    if (expected.length <= 2048) assert.equal(r.length, String(expected.length), 'Content-Length counts bytes')
    else assert.ok(r.chunked && r.length === undefined, 'a long body is chunked, as net/http does')
  }
})
