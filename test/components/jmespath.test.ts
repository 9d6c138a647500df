/** The `jmespath` processor through the real CLI. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

const stream = (query: string): string => `input:
  http_server:
    path: /q
pipeline:
  processors:
    - jmespath:
        query: ${JSON.stringify(query)}
    - catch:
        - mapping: 'root = {"error": error()}'
output:
  sync_response: {}
`

test('jmespath: results replace the message, numbers come back as float64, prototype names find nothing, a bad query is a located error', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/people.yaml': stream('people[?age > `30`].{name: name, next: sum([age, `1`]), c: constructor}'),
      'streams/broken.yaml': stream('people[?'),
    },
    args: ['{dir}/streams'],
  })
  const body = JSON.stringify({ people: [{ name: 'ada', age: 36 }, { name: 'bob', age: 12 }, { name: 'cy', age: 40.5 }] })
  const r = await h.until('the stream to answer', async () => {
    const res = await h.text('/people/q', { method: 'POST', body })
    return res.status === 200 ? res : undefined
  })
  assert.equal(r.body, '[{"c":null,"name":"ada","next":37},{"c":null,"name":"cy","next":41.5}]')
  assert.deepEqual(JSON.parse((await h.text('/people/q', { method: 'POST', body: 'not json' })).body).error.startsWith('invalid character'), true)
  const line = await h.until('the broken stream to fail to build', () => h.stdout().split('\n').find((l) => l.includes('failed to create stream broken')))
  assert.match(line, /broken\.yaml\(7,16\) failed to compile JMESPath query: Invalid token \(EOF\): \\"\\" \[pipeline\.processors\[0\]\.jmespath\.query\]/)
})
