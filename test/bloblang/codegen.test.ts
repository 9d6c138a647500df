/**
 * Generated code and closures side by side: the same outputs and the same errors (with their line
 * and column), which compiler a mapping got, and which constructs fell back to closures.
 */
import { test } from 'node:test'
import { spawnSync } from 'node:child_process'
import assert from 'node:assert/strict'
import { compileMapping } from '../../src/bloblang/index.js'
import { text } from './helpers.js'

function outcome(mapping: string, input: string, codegen: boolean): string {
  try {
    const out = compileMapping(mapping, { codegen }).apply({ content: input, metadata: { k: 'v' } })
    return out === undefined ? '<deleted>' : `${text(out.content)} ${JSON.stringify(out.metadata)}`
  } catch (err) {
    const data = (err as { data?: { line?: number; col?: number } }).data
    return `error ${data?.line}:${data?.col} ${(err as Error).message}`
  }
}

const cases: [string, string][] = [
  ['root.a = this.x.map_each(i -> {"v": i.n * 2, "s": i.s.uppercase()}).filter(o -> o.v > 2)', '{"x":[{"n":1,"s":"a"},{"n":2,"s":"b"}]}'],
  ['root = if this.n > 1 { "big" } else if this.n == 1 { "one" } else { deleted() }', '{"n":1}'],
  ['root = if this.n > 1 { "big" }', '{"n":0}'],
  ['root = match this.t { "a" => 1, this.length() > 2 => "long", _ => null }', '{"t":"abc"}'],
  ['root = match { this.t == "a" => 1 }', '{"t":"b"}'],
  ['root.x = this.a | this.b | "c"\nroot.y = this.missing.or("d")', '{"b":2}'],
  ['let v = this.a + 1\nmeta out = $v.string()\nroot.v = $v\nroot.m = @k', '{"a":41}'],
  ['root.a = this.s.catch("fb")\nroot.b = this.s.number().catch(e -> e)', '{"s":"x"}'],
  ['root.a = this.n.or(this.m)\nroot.b = this.s.number().or(x -> x.m)\nroot.c = this.m.or(1)\nroot.d = this.xs.map(x -> x.length())', '{"m":2,"s":"x","xs":[1,2]}'],
  ['root.a = this.s.replace_all(this.x, this.y)\nroot.b = this.s.index(this.i)\nroot.c = this.s.re_match(this.re)', '{"s":"abcab","x":"b","y":"-","i":1,"re":"c"}'],
  ['root = this.s.index(this.i)', '{"s":"abc","i":"x"}'],
  ['root = this.s.re_match(this.re)', '{"s":"abc","re":"("}'],
  ['root = this.n.replace_all(this.x, "y")', '{"n":5,"x":"a"}'],
  ['root = this.a.or()', '{}'],
  ['root = this.a.or(fallback: 1, x: 2)', '{}'],
  ['root = this.a.map()', '{}'],
  ['root = this.a.catch(nope: 1)', '{}'],
  ['root = [this.a, deleted(), nothing(), 3, {"k": this.a}]', '{"a":1}'],
  ['root = this.a && this.b || !this.c', '{"a":true,"b":false,"c":false}'],
  ['root = this\nroot.n = this.n + 1\nroot.deep.x = root.n', '{"n":1}'],
  ['map m { root.v = this.v * 10 }\nroot = this.apply("m")', '{"v":3}'],
  ['root = this.xs.(x -> x.sum())', '{"xs":[1,2,3]}'],
  ['root = [1, 2].map_each(x -> x + this.n)', '{"n":10}'],
  ['root.a = this.constructor\nroot.b = this.toString\nroot.c = this.x.0\nroot.d = this.arr.*.v\nroot.e = this.arr.1.v\nroot.f = this.__proto__', '{"x":[5],"arr":[{"v":1},{"v":2}],"__proto__":{"p":1}}'],
  ['root.__proto__ = 1\nroot.constructor = this.constructor\nroot.toString = "s"', '{"constructor":{"c":true}}'],
  ['root = this.n\nroot.a = 1', '{"n":"str"}'],
  ['root = [1]\nroot.a = 1', '{}'],
  ['root = this.doc\nroot.x = 2\nroot.doc = this.doc', '{"doc":{"x":1}}'],
  ['root.a = deleted()\nroot.b = 1\nroot.b = deleted()\nroot.c = nothing()', '{}'],
  // Errors keep their text, line and column on both paths.
  ['root.a = 1\nroot.b = this.n + "s"', '{"n":1}'],
  ['root = if this.n { 1 }', '{"n":5}'],
  ['root.a = this.x.uppercase()', '{"x":5}'],
  ['root = {"a": this.x.number()}', '{"x":"nope"}'],
  ['root = match this { this.x.uppercase() == "A" => 1 }', '{"x":1}'],
  ['root = $nope', '{}'],
  ['root = this.a.b.c', 'not json'],
  ['root = 1 +', '{}'],
  ['root = this.x.nosuchmethod()', '{}'],
  ['root = nosuchfunction()', '{}'],
  ['root = [1, 2].map_each(x -> y)', '{}'],
]

test('generated code and closures agree on outputs and errors', () => {
  for (const [mapping, input] of cases) {
    assert.equal(outcome(mapping, input, true), outcome(mapping, input, false), mapping)
  }
})

test('a mapping reports whether it was generated and what fell back to closures', () => {
  const m = compileMapping('root.a = this.a.from(0)\nroot.b = this.b.uppercase()\nroot.c = {(this.k): 1}', { codegen: true })
  assert.deepEqual(m.compiledForm, { generated: true, fallbacks: ['method from', 'object literal with computed keys'] })
  assert.deepEqual(compileMapping('root = this', { codegen: false }).compiledForm, { generated: false, fallbacks: [] })
  assert.deepEqual(compileMapping('root.x = this.a.map_each(i -> i * 2).filter(v -> v > 2)', { codegen: true }).compiledForm.fallbacks, [])
})

test('without code generation from strings (a Node flag), mappings compile to closures', () => {
  const index = new URL('../../src/bloblang/index.js', import.meta.url).href
  const script = `import { compileMapping } from ${JSON.stringify(index)}
const m = compileMapping('root.a = this.x + 1')
process.stdout.write(JSON.stringify(m.compiledForm) + ' ' + new TextDecoder().decode(m.apply({ content: '{"x":1}' }).content))`
  const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' })
  assert.equal(r.stderr, '')
  assert.equal(r.stdout, '{"generated":false,"fallbacks":[]} {"a":2}')
})
