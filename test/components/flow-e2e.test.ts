import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

const STREAM = `input:
  http_server:
    path: /post
pipeline:
  processors:
    - try:
        - mapping: 'root = if this.bad == true { throw("bad input") } else { this }'
        - mutation: 'root.tried = true'
    - catch:
        - mapping: 'root = {"error": error()}'
    - switch:
        - check: this.exists("error")
          processors:
            - mutation: 'root.route = "failed"'
        - processors:
            - workflow:
                meta_path: ''
                branch_resources: [ lookup ]
                branches:
                  double:
                    request_map: 'root = this.n'
                    processors:
                      - mapping: 'root = this * 2'
                    result_map: 'root.double = this'
output:
  sync_response: {}
`

const RESOURCES = `processor_resources:
  - label: lookup
    branch:
      request_map: 'root = this.double'
      processors:
        - mapping: 'root = this + 1'
      result_map: 'root.plus_one = this'
`

test('end to end: try/catch, switch and a workflow mixing inline and resource branches, through the real CLI', async (t) => {
  const h = await startHost(t, { files: { 'res.yaml': RESOURCES, 'streams/flow.yaml': STREAM }, args: ['-r', '{dir}/res.yaml', '{dir}/streams'] })
  const post = async (body: unknown): Promise<{ status: number; body: string }> => h.text('/flow/post', { method: 'POST', body: JSON.stringify(body) })
  const first = await h.until('the stream to answer', async () => {
    const r = await post({ n: 5 })
    return r.status === 200 ? r : undefined
  })
  // `lookup` reads what `double` writes, so it runs in the tier after it.
  assert.deepEqual(JSON.parse(first.body), { n: 5, tried: true, double: 10, plus_one: 11 })
  const failed = await post({ bad: true })
  assert.equal(failed.status, 200)
  assert.deepEqual(JSON.parse(failed.body), { error: 'failed assignment (line 1): bad input', route: 'failed' })
})

test('end to end: a workflow naming a missing resource fails the stream with a located error', async (t) => {
  const bad = STREAM.replace('branch_resources: [ lookup ]', 'branch_resources: [ nope ]')
  const h = await startHost(t, { files: { 'res.yaml': RESOURCES, 'streams/flow.yaml': bad }, args: ['-r', '{dir}/res.yaml', '{dir}/streams'] })
  // The start-up error is logged with its file position and config path. (Whether the host then
  // retries the stream is the supervisor's business, so this waits on the log, not the state.)
  const line = await h.until('the stream to fail to build', () => h.stdout().split('\n').find((l) => l.includes('failed to create stream')))
  assert.ok(
    line.includes("flow.yaml(18,37) processor resource 'nope' was not found [pipeline.processors[2].switch[1].processors[0].workflow.branch_resources[0]]"),
    line,
  )
})
