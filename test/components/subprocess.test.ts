/**
 * `command`, the `subprocess` processor, input and output, through the real CLI with real child
 * processes (sh, cat, printf and node itself).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startHost } from '../helpers/cli-host.js'

const ENDPOINT = (processors: string): string => `input:
  http_server:
    path: /run
pipeline:
  processors:
${processors}
    - catch:
        - mapping: 'root = {"error": error(), "exit_code": @exit_code}'
output:
  sync_response: {}
`

// A child that answers each netstring with its reversal, or a line on stderr for "bad".
const NETSTRING_CHILD = `let buf = Buffer.alloc(0)
process.stdin.on('data', (d) => {
  buf = Buffer.concat([buf, d])
  for (;;) {
    const i = buf.indexOf(58)
    if (i < 0) return
    const n = Number(buf.subarray(0, i).toString())
    if (buf.length < i + 2 + n) return
    const body = buf.subarray(i + 1, i + 1 + n).toString()
    buf = buf.subarray(i + 2 + n)
    if (body === 'bad') process.stderr.write('refused ' + body + '\\n')
    else { const r = [...body].reverse().join(''); process.stdout.write(r.length + ':' + r + ',') }
  }
})`

test('command: stdout replaces the message, args come from a mapping, failures carry exit code and stderr', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/cmd.yaml': ENDPOINT(`    - mutation: |
        let s = content().string()
        meta cmd = if $s.has_prefix("sh:") { "sh" } else if $s.has_prefix("nf:") { "no-such-command-for-weir" } else { "tr" }
        root = $s.trim_prefix("sh:")
    - command:
        name: '\${! @cmd }'
        args_mapping: 'root = if @cmd == "sh" { ["-c", content().string()] } else { ["a-z", "A-Z"] }'`),
    },
    args: ['{dir}/streams'],
  })
  const run = (body: string) => h.text('/cmd/run', { method: 'POST', body })
  const first = await h.until('the stream to answer', async () => {
    const r = await run('hello')
    return r.status === 200 ? r : undefined
  })
  assert.equal(first.body, 'HELLO')
  const failed = await run('sh:echo oops >&2; exit 3')
  assert.deepEqual(JSON.parse(failed.body), { error: 'execution error: exit status 3: oops\n', exit_code: 3 })
  const missing = await run('nf:x')
  assert.deepEqual(JSON.parse(missing.body), { error: 'execution error: exec: "no-such-command-for-weir": executable file not found in $PATH: ', exit_code: -1 })
})

test('subprocess processor: one long-lived child, lines in and out, stderr answers flag the message, a child that exits is restarted', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/lines.yaml': ENDPOINT(`    - subprocess:
        name: sh
        args: [ "-c", "while read l; do if [ \\"$l\\" = bad ]; then echo \\"no: $l\\" >&2; elif [ \\"$l\\" = quit ]; then exit 0; else echo \\"<$l>\\"; fi; done" ]`),
      'streams/net.yaml': ENDPOINT(`    - subprocess:
        name: ${JSON.stringify(process.execPath)}
        args: [ "-e", ${JSON.stringify(NETSTRING_CHILD)} ]
        codec_send: netstring
        codec_recv: netstring`),
    },
    args: ['{dir}/streams'],
  })
  const post = (stream: string, body: string) => h.text(`/${stream}/run`, { method: 'POST', body })
  const first = await h.until('the lines stream to answer', async () => {
    const r = await post('lines', 'a')
    return r.status === 200 ? r : undefined
  })
  assert.equal(first.body, '<a>')
  // Each line is its own request; a trailing newline stays.
  assert.equal((await post('lines', 'x\ny\n')).body, '<x>\n<y>\n')
  assert.deepEqual(JSON.parse((await post('lines', 'bad')).body), { error: 'no: bad', exit_code: null })
  // `quit` makes the child exit: that request fails, the child comes back for the next.
  assert.deepEqual(JSON.parse((await post('lines', 'quit')).body), { error: 'type was closed', exit_code: null })
  const again = await h.until('the restarted child to answer', async () => {
    const r = await post('lines', 'back')
    return r.body === '<back>' ? r : undefined
  })
  assert.equal(again.body, '<back>')
  const net = await h.until('the netstring stream to answer', async () => {
    const r = await post('net', 'one\ntwo')
    return r.status === 200 ? r : undefined
  })
  assert.equal(net.body, 'owt\neno')
  assert.deepEqual(JSON.parse((await post('net', 'bad')).body), { error: 'refused bad', exit_code: null })
})

test('subprocess input and output: lines from a command (again with restart_on_exit) into a command', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/once.yaml': `input:
  subprocess:
    name: printf
    args: [ "one\\\\ntwo\\\\nthree" ]
output:
  subprocess:
    name: sh
    args: [ "-c", "cat >> once.txt" ]
`,
      'streams/again.yaml': `input:
  subprocess:
    name: sh
    args: [ "-c", "echo run" ]
    restart_on_exit: true
output:
  subprocess:
    name: sh
    args: [ "-c", "cat >> again.txt" ]
`,
    },
    args: ['{dir}/streams'],
  })
  const read = h.read
  // `once` ends with its command: the output's child sees stdin close and finishes the file.
  await h.until('once.txt', () => (read('once.txt') === 'one\ntwo\nthree\n' ? true : undefined))
  await h.until('three runs in again.txt', () => (read('again.txt').split('\n').filter((l) => l === 'run').length >= 3 ? true : undefined))
  assert.match(read('again.txt'), /^(run\n)+/)
})

test('subprocess input: a command that prints faster than the stream writes waits on its pipe and loses nothing', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/many.yaml': `input:
  subprocess:
    name: seq
    args: [ "1", "200000" ]
output:
  file:
    path: ./many.txt
`,
    },
    args: ['{dir}/streams'],
  })
  const text = await h.until('200,000 lines', () => (h.read('many.txt').endsWith('\n200000\n') ? h.read('many.txt') : undefined), 120_000)
  const lines = text.trimEnd().split('\n')
  assert.equal(lines.length, 200_000)
  assert.ok(lines.every((l, i) => l === String(i + 1)), 'every line once, in order')
})
