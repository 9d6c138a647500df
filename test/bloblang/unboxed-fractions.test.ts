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
import fc from 'fast-check'
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

test('a mapping gives the same output whether the input document was boxed at parse or is read unboxed', () => {
  // Every read form and the operations that tell a json.Number from a float64 (%T, %v, YAML, integer
  // casts, errors), over documents whose numbers are written many ways.
  const mappings = [
    'root = this',
    'root.a = this.a\nroot.t = "%T %v".format(this.a, this.b)',
    'root = this.format_yaml().string()',
    'root = this.values().map_each(v -> "%T".format(v))',
    'root = this.keys().map_each(k -> "%T".format(this.get(k)))',
    'root = this.xs.map_each(x -> x.format_yaml().string())',
    'root = this.xs.filter(x -> x.type() == "number").map_each(x -> {"t": "%T".format(x), "v": x})',
    'root = this.xs.sort().map_each(x -> "%T".format(x))',
    'root = this.xs.fold(0, i -> i.tally + i.value.number().catch(0))',
    'root = this.a.int64().catch(err -> err)',
    'root = this.a.float32()',
    'root = this.o.without("p").format_yaml().string()',
    'root = match this { this.a > 1 => "%T".format(this.a), _ => "%T".format(this.b) }',
    'root = this.(a | b).string() + " " + "%T".format(this.(a | b))',
    'root = json("o.p").format_yaml().string()',
    'root = (if this.a { 1 } else { 2 }).catch(err -> err)',
    'root = [this.xs.index(0), this.o.p, this.b].format_yaml().string()',
    'root.sum = this.xs.filter(x -> x.type() == "number").sum()\nroot.t = "%T".format(root.sum)',
    'map m { root.t = "%T".format(this.p) }\nroot = this.o.apply("m")',
    // filter and map_each run inline over the unboxed array (codegen/array-lambdas.ts): what they
    // keep or return, whole or in part, must come out boxed; arithmetic takes fractions as they are.
    'root.k = this.xs.filter(x -> x != "s")\nroot.t = root.k.map_each(v -> "%T".format(v))',
    'root = this.xs.filter(x -> x != "s").filter(x -> x != 0).map_each(x -> "%T %v".format(x, x))',
    'root = this.xs.map_each(x -> x).map_each(v -> "%T".format(v))',
    'root = this.xs.map_each(x -> if x == "zz" { 1 }).map_each(v -> "%T".format(v))',
    'root = this.xs.map_each(x -> if x == "s" { deleted() } else { x * 2 + this.a - this.b / 4 }).map_each(v -> "%T %v".format(v, v))',
    'root = this.xs.map_each(x -> {"v": x, "w": [x], "d": x > this.a}).format_yaml().string()',
    'root = this.xs.map_each(x -> x.catch(0)).map_each(v -> "%T".format(v))',
    'root = this.xs.map_each(x -> [1, 2].map_each(y -> x)).format_yaml().string()',
    'root = this.xs.map_each(x -> this.xs.filter(y -> y == x).map_each(y -> "%T".format(y)))',
    'root = this.o.map_each(kv -> "%T".format(kv.value))',
    'root = this.o.filter(kv -> kv.key == "p").format_yaml().string()',
    'root = this.xs.map_each(x -> x + 1).catch(err -> err)',
    'root = this.xs.filter(x -> x > this.b).catch(err -> err)',
    'root = this.a.map_each(x -> x).catch(err -> err)',
  ]
  const number = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.tuple(fc.integer({ min: -999, max: 999 }), fc.integer({ min: 1, max: 999 })).map(([i, f]) => `${i}.${f}`),
    fc.constantFrom('0.5', '2.25', '1.50', '1e3', '-0', '0.000001', '1234567.5', '12345678901234567'),
  )
  const doc = fc
    .record({ a: number, b: number, xs: fc.array(fc.oneof(number, fc.constant('"s"')), { maxLength: 4 }), p: number })
    .map(({ a, b, xs, p }) => `{"a":${a},"b":${b},"xs":[${xs.join(',')}],"o":{"p":${p},"q":"sku-0"}}`)
  const compiled = mappings.flatMap((m) => MODES.map((opts) => ({ m, opts, mapping: compileMapping(m, opts) })))
  const outcome = (run: () => Message | undefined): string => {
    try {
      const out = run()
      return out === undefined ? '<deleted>' : new TextDecoder().decode(out.bytes())
    } catch (err) {
      return `error: ${err instanceof Error ? err.message : String(err)}`
    }
  }
  fc.assert(
    fc.property(doc, (text) => {
      const results = new Map<string, string>()
      for (const { m, opts, mapping } of compiled) {
        const unboxed = new Message(new TextEncoder().encode(text))
        const boxed = new Message(new TextEncoder().encode(text))
        boxed.structured()
        const got = outcome(() => mapping.execMapping([unboxed], 0))
        const want = outcome(() => mapping.execMapping([boxed], 0))
        assert.equal(got, want, `${m} (codegen: ${opts.codegen}) on ${text}`)
        // And both compilers agree.
        const first = results.get(m)
        if (first === undefined) results.set(m, got)
        else assert.equal(got, first, `${m}: generated code and closures differ on ${text}`)
      }
    }),
    { numRuns: 150 },
  )
})
