/**
 * The bundled examples (examples/streams with examples/resources.yaml, as `npm start` runs them)
 * served by the real CLI: each example's curl line gives its documented answer, and the file
 * examples leave their documented files. A real loopback server stands in for the user service the
 * enricher calls (its address is set through WEIR_USERS_URL, as the example's comment says).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startHost, tempDir } from '../helpers/cli-host.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const EXAMPLES = join(ROOT, 'examples')

function readLines(file: string): string[] | undefined {
  if (!existsSync(file)) return undefined
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '')
}

test('the bundled examples serve their documented answers and files', async (t) => {
  const out = tempDir(t)
  const inbox = join(out, 'inbox')
  mkdirSync(inbox)
  writeFileSync(join(inbox, 'app.log'), Array.from({ length: 250 }, (_, i) => `line ${i + 1}`).join('\n') + '\n')
  let userCalls = 0
  const users = createServer((req, res) => {
    userCalls++
    const id = (req.url ?? '').split('/').pop()
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id, name: `user ${id}` }))
  })
  await new Promise<void>((r) => users.listen(0, '127.0.0.1', r))
  t.after(() => users.close())
  const usersUrl = `http://127.0.0.1:${(users.address() as AddressInfo).port}/user`

  const host = await startHost(t, {
    args: ['-r', join(EXAMPLES, 'resources.yaml'), join(EXAMPLES, 'streams')],
    env: { WEIR_EXAMPLES_OUT: out, WEIR_EXAMPLES_IN: inbox, WEIR_USERS_URL: usersUrl },
  })
  await host.until('every example stream running', async () => {
    const s = (await host.json<Record<string, { state: string }>>('/streams')).body
    const ids = ['batches', 'echo', 'enrich', 'fanout', 'router', 'ticker', 'uppercase', 'users', 'workflow']
    return ids.every((id) => s[id] && ['running', 'finished'].includes(s[id].state))
  })

  // echo and uppercase (the README's curl tour)
  assert.equal((await host.text('/echo/post', { method: 'POST', body: '{"name":"ada"}' })).body, '{"greeting":"hello ada","name":"ada"}')
  assert.equal((await host.text('/uppercase/post', { method: 'POST', body: 'shout please' })).body, 'SHOUT PLEASE')

  // users: the stand-in user service
  assert.deepEqual(JSON.parse((await host.text('/users/user/8')).body), { id: '8', name: 'user 8', tier: 'gold' })

  // enrich: branch + http + cache; the second event for the same user is served from the cache
  for (let i = 0; i < 2; i++) {
    const r = await host.text('/enrich/post', { method: 'POST', body: '{"user_id":"7","event":"login"}' })
    assert.deepEqual(JSON.parse(r.body), { user_id: '7', event: 'login', user: { id: '7', name: 'user 7' } })
  }
  assert.equal(userCalls, 1)

  // workflow: two independent branches, then one that reads both
  const wf = JSON.parse((await host.text('/workflow/post', { method: 'POST', body: '{"text":"to be or not to be"}' })).body) as Record<string, unknown>
  assert.equal(wf.words, 6)
  assert.equal(wf.digest, '2e9d72a733ae5a6c1c1ebd6802a33dfc92854bfc3439878e5d77dac320995f54')
  assert.equal(wf.summary, '6 words, digest 2e9d72a7')
  assert.deepEqual(wf.meta, { workflow: { succeeded: ['digest', 'summary', 'words'] } })

  // router: a switch output writes each type to its own file
  for (const body of ['{"type":"order","id":1}', '{"type":"refund","id":2}', '{"type":"other","id":3}', '{"type":"order","id":4}']) {
    assert.equal((await host.text('/router/post', { method: 'POST', body })).status, 200)
  }
  assert.deepEqual(readLines(join(out, 'orders.jsonl')), ['{"type":"order","id":1}', '{"type":"order","id":4}'])
  assert.deepEqual(readLines(join(out, 'refunds.jsonl')), ['{"type":"refund","id":2}'])
  assert.deepEqual(readLines(join(out, 'other.jsonl')), ['{"type":"other","id":3}'])

  // batches: 250 lines in batches of 100, each batch one JSON array line
  const batches = await host.until('three batches', () => {
    const l = readLines(join(out, 'batches.jsonl'))
    return l && l.length >= 3 ? l : undefined
  })
  assert.deepEqual(
    batches.map((l) => (JSON.parse(l) as { line: string }[]).length),
    [100, 100, 50],
  )
  assert.deepEqual((JSON.parse(batches[2]!) as { line: string }[]).at(-1), { line: 'line 250' })

  // fanout: the first two events in both files, the even one only in the second
  const all = await host.until('two fanned-out events', () => {
    const l = readLines(join(out, 'fanout-all.jsonl'))
    return l && l.length >= 2 ? l : undefined
  }, 20_000)
  assert.deepEqual(all.slice(0, 2), ['{"n":1}', '{"n":2}'])
  // The two outputs of the broker write concurrently: the second file may lag the first.
  const even = await host.until('the even event in the second file', () => {
    const l = readLines(join(out, 'fanout-even.jsonl'))
    return l && l.length >= 1 ? l : undefined
  }, 20_000)
  assert.deepEqual(even.slice(0, 1), ['{"n":2}'])
})
