/**
 * `-t` templates end to end: template components in a stream file run in real workers, lint
 * reports problems inside template configs and broken templates with their file and line.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, existsSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startHost, runCli, tempDir } from '../helpers/cli-host.js'

// An input template (the reference's stdin_uppercase shape: the template's processors run before
// the user's) and a processor template with a defaulted and a required field.
const GREETING_INPUT = `name: greetings
type: input
status: experimental
summary: Generates a fixed number of greetings.
fields:
  - name: who
    type: string
  - name: count
    type: int
    default: 2
mapping: |
  root.generate.mapping = "root = %q".format(this.who)
  root.generate.count = this.count
  root.generate.interval = ""
  root.processors = [ { "mapping": "root = \\"hello \\" + content()" } ]
`

const SUFFIX_PROCESSOR = `name: add_suffix
type: processor
fields:
  - name: suffix
    type: string
    default: "!"
  - name: shout
    type: bool
    default: false
mapping: |
  root.mapping = if this.shout { "root = (content() + %q).uppercase()".format(this.suffix) } else { "root = content() + %q".format(this.suffix) }
`

const STREAM = (out: string): string => `input:
  greetings:
    who: ada
    count: 3
  processors:
    - mapping: 'root = content() + " (input)"'
pipeline:
  processors:
    - add_suffix:
        shout: true
output:
  file:
    path: ${out}
    codec: lines
`

test('template input and processor components run in a stream, template processors ahead of the user ones', async (t) => {
  const dir = tempDir(t)
  const out = join(dir, 'out.txt')
  const host = await startHost(t, {
    files: { 'templates/greetings.yaml': GREETING_INPUT, 'templates/add_suffix.yaml': SUFFIX_PROCESSOR, 'streams/greet.yaml': STREAM(out) },
    args: ['-t', '{dir}/templates/*.yaml', '{dir}/streams'],
  })
  const lines = await host.until('three lines written', () => {
    if (!existsSync(out)) return undefined
    const l = readFileSync(out, 'utf8').split('\n').filter((x) => x !== '')
    return l.length >= 3 ? l : undefined
  })
  assert.deepEqual(lines, ['HELLO ADA (INPUT)!', 'HELLO ADA (INPUT)!', 'HELLO ADA (INPUT)!'])
  const info = await host.json<{ state: string }>('/streams/greet')
  assert.equal(info.status, 200)
  // The template processor is built, and metered, once: at its own path.
  // Workers push their series at most every 500 ms: poll for the last ones.
  const received = /\nprocessor_received\{label="",path="root\.pipeline\.processors\.0",stream="greet"\} (\d+)\n/
  const metrics = await host.until('the processor counter', async () => {
    const m = (await host.text('/metrics')).body
    return received.exec(m)?.[1] === '3' ? m : undefined
  })
  assert.match(metrics, received)
})

test('without -t a template name is an unknown component; lint with -t finds a bad field inside a template component', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'templates'))
  writeFileSync(join(dir, 'templates/add_suffix.yaml'), SUFFIX_PROCESSOR)
  writeFileSync(
    join(dir, 's.yaml'),
    `input:
  generate: { mapping: 'root = "x"', count: 1 }
pipeline:
  processors:
    - add_suffix:
        sufix: "?"
output:
  drop: {}
`,
  )
  const without = await runCli(['lint', 's.yaml'], { cwd: dir })
  assert.equal(without.code, 1)
  assert.match(without.stderr, /s\.yaml\(5,7\) unable to infer processor type from candidates: \[add_suffix\]/)
  const withT = await runCli(['lint', '-t', 'templates/*.yaml', 's.yaml'], { cwd: dir })
  assert.equal(withT.code, 1)
  assert.equal(withT.stderr.trim(), 's.yaml(6,1) field sufix not recognised (did you mean `suffix`?)')
})

test('a broken template stops start-up with its file, line and what is wrong', async (t) => {
  const dir = tempDir(t)
  mkdirSync(join(dir, 'templates'))
  writeFileSync(
    join(dir, 'templates/bad.yaml'),
    `name: bad
type: processor
fields:
  - name: x
    type: strin
mapping: 'root.noop = {}'
`,
  )
  writeFileSync(join(dir, 's.yaml'), "input:\n  generate: { mapping: 'root = 1', count: 1 }\noutput:\n  drop: {}\n")
  const r = await runCli(['streams', '--set', 'http.address=127.0.0.1:0', '-t', 'templates/bad.yaml', 's.yaml'], { cwd: dir })
  assert.equal(r.code, 1)
  assert.match(r.stderr, /template templates\/bad\.yaml: field 0: unrecognised type: strin/)
  assert.match(r.stderr, /line 4|:4:|\(4,/)

  writeFileSync(join(dir, 'templates/bad.yaml'), "name: bad\ntype: processor\nmapping: |\n  root.noop = {}\n  root.x = this.\n")
  const parse = await runCli(['lint', '-t', 'templates/bad.yaml', 's.yaml'], { cwd: dir })
  assert.equal(parse.code, 1)
  assert.match(parse.stderr, /template templates\/bad\.yaml: parse mapping: /)
})
