/**
 * An input document's fractions stay plain numbers until Bloblang reads them (JsonDocument in
 * src/value/json-parse.ts): every way a mapping reaches `this` must still see json.Numbers, in the
 * generated code and in the closures alike, and the message must still give them to everyone else.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileMapping } from '../../src/bloblang/index.js'
import { Message } from '../../src/message/message.js'
import { Float, JsonNumber } from '../../src/value/index.js'
import { run, errorOf } from './helpers.js'

const DOC = '{"p":2.5,"a":{"c":1.25},"xs":[1.5,2,3.25],"n":3}'
const MODES = [{ codegen: true }, { codegen: false }]

test('fractions read from the input are json.Numbers whichever way the mapping reaches them', () => {
  const cases: [string, string][] = [
    ['root = "%T".format(this.p)', '"json.Number"'],
    ['root = "%T %T".format(this.a.c, this.n)', '"json.Number int64"'],
    ['root = "%T".format(this.p * 2)', '"float64"'],
    ['root = this.xs.map_each(x -> "%T".format(x))', '["json.Number","int64","json.Number"]'],
    ['root = this.xs.map_each(x -> x.format_yaml().string())', '["\\"1.5\\"\\n","2\\n","\\"3.25\\"\\n"]'],
    ['root = this.format_yaml().string()', '"a:\\n    c: \\"1.25\\"\\nn: 3\\np: \\"2.5\\"\\nxs:\\n    - \\"1.5\\"\\n    - 2\\n    - \\"3.25\\"\\n"'],
    ['root = this.a.format_yaml().string()', '"c: \\"1.25\\"\\n"'],
    ['root = match { this.p > 1 => "%T".format(this.p), _ => "no" }', '"json.Number"'],
    ['root = match { this.n > 1 => "%T".format(this.a.c), _ => "no" }', '"json.Number"'],
    ['root = match this.a { this.c > 1 => "%T".format(this.c), _ => "no" }', '"json.Number"'],
    ['root = x -> "%T".format(x.p)', '"json.Number"'],
    ['root = "%T".format(this.(p))', '"json.Number"'],
    ['root = "%T".format(json("a.c"))', '"float64"'],
    ['root.x = this.p\nroot.t = "%T".format(root.x)', '{"t":"json.Number","x":2.5}'],
    ['root = "%T".format(this.missing.or(this.p))', '"json.Number"'],
    ['map t { root = "%T".format(this.c) }\nroot = this.a.apply("t")', '"json.Number"'],
    ['root = "%T".format(this.p.catch(0))', '"json.Number"'],
    ['let v = this.xs\nroot = "%T".format($v.index(2))', '"json.Number"'],
    ['root = this.p.int64().catch(err -> err)', '"field `this.p`: strconv.ParseInt: parsing \\"2.5\\": invalid syntax"'],
    ['root = this', '{"a":{"c":1.25},"n":3,"p":2.5,"xs":[1.5,2,3.25]}'],
  ]
  for (const opts of MODES) {
    for (const [mapping, want] of cases) {
      // A string root is the message's raw text.
      const text = want.startsWith('"') ? (JSON.parse(want) as string) : want
      assert.equal(run(mapping, DOC, undefined, opts), text, `${mapping} (codegen: ${opts.codegen})`)
    }
    assert.match(errorOf('root = if this.p { 1 }', DOC, opts), /non-boolean value 2\.5 \(json\.Number\)/)
  }
})

test('a message whose document a mapping read still gives json.Numbers to other readers and copies', () => {
  for (const opts of MODES) {
    const m = compileMapping('root.q = this.xs.index(0) * 2\nroot.p = this.p', opts)
    const msg = new Message(new TextEncoder().encode(DOC))
    const copy = msg.copy()
    const out = m.execMapping([msg], 0)!
    assert.equal(new TextDecoder().decode(out.bytes()), '{"p":2.5,"q":3}')
    for (const v of [msg.structured(), copy.structured()] as Record<string, unknown>[]) {
      assert.ok(v.p instanceof JsonNumber)
      assert.ok((v.xs as unknown[])[0] instanceof JsonNumber)
      assert.ok((v.a as Record<string, unknown>).c instanceof JsonNumber)
    }
    // The output's fraction came from the input: a json.Number; arithmetic gave a float64.
    const o = out.structured() as Record<string, unknown>
    assert.ok(o.p instanceof JsonNumber)
    assert.ok(o.q instanceof Float && o.q.v === 3)
  }
})
