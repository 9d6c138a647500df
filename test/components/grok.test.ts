/** The `grok` processor: the reference library's answers case by case, then through the real CLI. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileGrok } from '../../src/components/shared/grok.js'
import { toJson } from '../../src/value/index.js'
import { startHost } from '../helpers/cli-host.js'
import { grokCases } from './grok-cases.js'

test(`every case gives the grok library's answer (${grokCases.length} cases)`, () => {
  const wrong: string[] = []
  for (const c of grokCases) {
    const r = compileGrok({ expressions: c.exprs, definitions: c.defs, namedOnly: c.named_only, useDefaults: true, removeEmpty: c.remove_empty })
    let got: GrokCase['want']
    if (!r.ok) {
      const e = r.error
      got = { error: e.where === 'patterns' ? `failed to create grok compiler: ${e.message}` : `failed to compile Grok pattern '${c.exprs[e.index]}': ${e.message}` }
    } else {
      const p = r.parser.parse(c.input)
      got = p.ok ? { result: JSON.parse(toJson(p.value)) } : { nomatch: true }
    }
    try {
      assert.deepEqual(got, c.want)
    } catch {
      wrong.push(`${JSON.stringify(c.exprs)} on ${JSON.stringify(c.input)}\n  want ${JSON.stringify(c.want)}\n  got  ${JSON.stringify(got)}`)
    }
  }
  assert.deepEqual(wrong, [])
})

type GrokCase = (typeof grokCases)[number]

test('grok processor through the CLI: pattern files, typed captures, a flagged miss, located build errors', async (t) => {
  const stream = (grok: string): string => `input:
  http_server:
    path: /parse
pipeline:
  processors:
    - grok:
${grok}
    - catch:
        - mapping: 'root = {"error": error()}'
output:
  sync_response: {}
`
  const h = await startHost(t, {
    files: {
      'patterns/app.grok': '# app log lines\nAPPLEVEL (?:DEBUG|INFO|WARN|ERROR)\nAPPLINE %{TIMESTAMP_ISO8601:ts} %{APPLEVEL:level} took=%{NUMBER:took:float}ms %{GREEDYDATA:msg}\n',
      'streams/app.yaml': stream("        expressions: [ '%{APPLINE}' ]\n        pattern_paths: [ ./patterns ]"),
      'streams/nopat.yaml': stream("        expressions: [ '%{NOPE:x}' ]"),
      'streams/nofile.yaml': stream("        expressions: [ '%{WORD:w}' ]\n        pattern_paths: [ ./missing.grok ]"),
    },
    args: ['{dir}/streams'],
  })
  const post = (body: string) => h.text('/app/parse', { method: 'POST', body })
  const ok = await h.until('the stream to answer', async () => {
    const r = await post('2024-01-02T03:04:05Z WARN took=12.5ms slow query')
    return r.status === 200 ? r : undefined
  })
  assert.deepEqual(JSON.parse(ok.body), { level: 'WARN', msg: 'slow query', took: 12.5, ts: '2024-01-02T03:04:05Z' })
  assert.deepEqual(JSON.parse((await post('garbage')).body), { error: 'no pattern matches found' })
  const lines = await h.until('two streams to fail to build', () => {
    const failed = h.stdout().split('\n').filter((l) => l.includes('failed to create stream'))
    return failed.length >= 2 ? failed.join('\n') : undefined
  })
  assert.match(lines, /nopat\.yaml\(\d+,\d+\) failed to compile Grok pattern '%\{NOPE:x\}': no pattern found for %\{NOPE\} \[pipeline\.processors\[0\]\.grok\.expressions\[0\]\]/)
  assert.match(lines, /nofile\.yaml\(\d+,\d+\) failed to parse patterns from path '\.\/missing\.grok': stat \.\/missing\.grok: no such file or directory \[pipeline\.processors\[0\]\.grok\.pattern_paths\[0\]\]/)
})
