/** The `json_schema` processor through the real CLI: schema files with references, flagged failures, build errors. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startHost } from '../helpers/cli-host.js'

const STREAM = `input:
  http_server:
    path: /check
pipeline:
  processors:
    - json_schema:
        schema_path: "file://./schemas/person.json"
    - catch:
        - mapping: 'root = {"invalid": error()}'
output:
  sync_response: {}
`

const PERSON = JSON.stringify({ type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { $ref: 'defs.json#/definitions/age' } } })
const DEFS = JSON.stringify({ definitions: { age: { type: 'integer', minimum: 0 } } })

test('json_schema processor: a schema file whose $ref names a sibling file; failures are flagged, payloads untouched', async (t) => {
  const h = await startHost(t, { files: { 'streams/people.yaml': STREAM, 'schemas/person.json': PERSON, 'schemas/defs.json': DEFS }, args: ['{dir}/streams'] })
  const post = (body: string) => h.text('/people/check', { method: 'POST', body })
  const ok = await h.until('the stream to answer', async () => {
    const r = await post('{"name":"ada","age":36.0}')
    return r.status === 200 ? r : undefined
  })
  assert.equal(ok.body, '{"name":"ada","age":36.0}')
  const bad = await post('{"age":-1}')
  assert.deepEqual(JSON.parse(bad.body), { invalid: '(root) name is required\nage must be greater than or equal to 0' })
  const notJson = await post('{nope')
  assert.match(JSON.parse(notJson.body).invalid, /^invalid character 'n' looking for beginning of object key string/)
})

test('json_schema processor: a bad schema or schema_path stops the stream with a located error', async (t) => {
  const badSchema = `input:
  generate: { mapping: 'root = {}', interval: 1h }
pipeline:
  processors:
    - json_schema:
        schema: '{"type":5}'
output:
  drop: {}
`
  const badPath = badSchema.replace(`schema: '{"type":5}'`, 'schema_path: "ftp://example/x.json"')
  const h = await startHost(t, { files: { 'streams/a.yaml': badSchema, 'streams/b.yaml': badPath } })
  const lines = await h.until('both streams to fail to build', () => {
    const failed = h.stdout().split('\n').filter((l) => l.includes('failed to create stream'))
    return failed.length >= 2 ? failed.join('\n') : undefined
  })
  assert.match(lines, /a\.yaml\(6,\d+\) failed to load JSON schema definition: Invalid type\. Expected: string\/array of strings, given: type \[pipeline\.processors\[0\]\.json_schema\.schema\]/)
  assert.match(lines, /b\.yaml\(6,\d+\) invalid schema_path provided, must start with file:\/\/ or http:\/\/ \[pipeline\.processors\[0\]\.json_schema\.schema_path\]/)
})

test('json_schema processor: an http:// schema is fetched when the stream starts; a missing one is a located error', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/person.json') res.writeHead(200, { 'content-type': 'application/json' }).end('{"required":["name"]}')
    else res.writeHead(404).end('no')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => server.close())
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const remote = STREAM.replace('file://./schemas/person.json', `${base}/person.json`)
  const missing = STREAM.replace('file://./schemas/person.json', `${base}/gone.json`).replace('/check', '/gone')
  const h = await startHost(t, { files: { 'streams/remote.yaml': remote, 'streams/missing.yaml': missing }, args: ['{dir}/streams'] })
  const r = await h.until('the stream to answer', async () => {
    const res = await h.text('/remote/check', { method: 'POST', body: '{}' })
    return res.status === 200 ? res : undefined
  })
  assert.deepEqual(JSON.parse(r.body), { invalid: '(root) name is required' })
  const line = await h.until('the other stream to fail to build', () => h.stdout().split('\n').find((l) => l.includes('failed to create stream') && l.includes('missing.yaml')))
  assert.match(line, /failed to load JSON schema definition: Could not read schema from HTTP, response status is 404 \[pipeline\.processors\[0\]\.json_schema\.schema_path\]/)
})
