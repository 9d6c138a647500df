/** Language semantics (spec §3-§18): exact outputs and error texts. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorDataOf, errorOf, run, runMeta } from './helpers.js'

test('numbers: int64 wrap, exact big ints, float division, modulo', () => {
  assert.equal(run('root = 9223372036854775807 + 1'), '-9223372036854775808')
  assert.equal(run('root = this.a + 1', '{"a":9007199254740993}'), '9007199254740994')
  assert.equal(run('root = this.a * 3', '{"a":4611686018427387904}'), '-4611686018427387904')
  assert.equal(run('root = 8 / 4'), '2')
  assert.equal(run('root = (8 / 4).string()'), '2')
  assert.equal(run('root = 7 / 2'), '3.5')
  assert.equal(run('root = [7 % 3, -7 % 3, 7.9 % 3]'), '[1,-1,1]')
  assert.equal(run('root = 0.1 + 0.2'), '0.30000000000000004')
  assert.equal(run('root = 3.0'), '3')
  assert.equal(run('root = 1500000.0.string()'), '1.5e+06')
  assert.equal(run('root = this', '{"a":1.0,"b":-0.50,"c":1e3}'), '{"a":1.0,"b":-0.50,"c":1e3}')
  assert.equal(run('root = this.a.string()', '{"a":1.50}'), '1.50')
  assert.equal(run('root = 10.pow(2)'), '100')
  assert.equal(run('root = 5.3.round()'), '5')
  assert.equal(run('root = -5.abs()'), '-5')
  assert.match(errorOf('root = this.a / this.b', '{"a":1,"b":0}'), /field `this.b`: attempted to divide by zero/)
})

test('operator precedence (spec §9.1)', () => {
  assert.equal(run('root = true || false && false'), 'false')
  assert.equal(run('root = this.a | 1 + 10'), '11')
  assert.equal(run('root = 2 + 3 * 4 - 1'), '13')
  assert.equal(run('root = 1 < 2 == true'), 'true')
  assert.equal(run('root = !this.a.not()', '{"a":true}'), 'true')
})

test('comparison and boolean rules (spec §9.3, §9.4)', () => {
  assert.equal(run('root = [1 == "1", "5" != 5, null == null, 2.0 == 2, true == 1, 1 == true]'), '[false,true,true,true,true,false]')
  assert.equal(run('root = {"k":1} == {"k":1.0}'), 'true')
  assert.equal(run('root = this.a == 1', '{"a":1.0}'), 'true')
  assert.equal(run('root = ["a" < "b", "B" < "_", 10 > 9.5]'), '[true,true,true]')
  assert.equal(
    errorOf('root = this.s > this.n', '{"s":"10","n":9}'),
    'failed assignment (line 1): cannot compare types string (from field `this.s`) and number (from field `this.n`)',
  )
  assert.equal(run('root = false && throw("no")'), 'false')
  assert.equal(run('root = 1 && 0'), 'false')
  assert.equal(errorOf('root = this.a && true', '{"a":"yes"}'), 'failed assignment (line 1): expected bool value, got string ("yes")')
  assert.equal(errorOf('root = !this.n', '{"n":1}'), 'failed assignment (line 1): expected bool value, got number from field `this.n` (1)')
})

test('coalescing, catch and or (spec §9.5, §15)', () => {
  assert.equal(run('root = this.a | this.b | "c"', '{"b":null}'), 'c')
  assert.equal(run('root = this.a.number() | 0', '{"a":"x"}'), '0')
  assert.equal(run('root = this.a.catch("d")', '{"a":null}'), 'null')
  assert.equal(run('root = this.a.number().catch(e -> e)', '{"a":"x"}'), 'field `this.a`: strconv.ParseFloat: parsing "x": invalid syntax')
  assert.equal(run('root = this.a.or(this.b)', '{"b":2}'), '2')
  assert.equal(run('root = deleted().or("x")'), 'x')
})

test('paths, quoting and missing values (spec §5)', () => {
  const doc = '{"a":{"b.c":1,"d~e":2,"list":[10,20]},"0":"zero"}'
  assert.equal(run('root = [this.a."b.c", this.a."d~e", this.a.list.1, this.0, this.nope.x, this.a.list.5]', doc), '[1,2,20,"zero",null,null]')
  assert.equal(run('root = this.a.get("b~1c")', doc), '1')
  assert.equal(run('root = [this.exists("a.list"), this.exists("a.zz"), {"k":null}.exists("k")]', doc), '[true,false,true]')
  assert.equal(run('root = a.list.0', doc), '10', 'bare identifiers read this')
  assert.equal(run('root = json("a.list.1")', doc), '20')
  assert.equal(run('root = this.items.name', '{"items":[{"name":"x"}]}'), 'null')
})

test('assignment semantics (spec §6)', () => {
  assert.equal(run('root.a.b.c = "deep"'), '{"a":{"b":{"c":"deep"}}}')
  assert.equal(run('root = [1,2,3]\nroot.1 = "x"'), '[1,"x",3]')
  assert.equal(run('root.list.0.v = 1'), '{"list":{"0":{"v":1}}}')
  assert.equal(run('root = this\nroot.xs.0 = deleted()', '{"xs":[1,2,3]}'), '{"xs":[2,3]}')
  assert.equal(run('root = this\nroot.a = deleted()\nroot.zz = deleted()', '{"a":1,"b":2}'), '{"b":2}')
  assert.equal(run('root.a = 1\nroot.b = nothing()'), '{"a":1}')
  assert.equal(run('root = deleted()'), '<deleted>')
  assert.equal(run('root = if this.drop { deleted() }', '{ "drop" : false }'), '{ "drop" : false }')
  assert.equal(run('meta x = "y"', 'not json at all'), 'not json at all')
  assert.equal(run('foo = 1\nbar.baz = 2'), '{"bar":{"baz":2},"foo":1}')
  assert.equal(run('let x = {"a":1}\nroot.v = $x\nroot.v.a = 2\nroot.w = $x'), '{"v":{"a":2},"w":{"a":1}}')
  assert.equal(
    errorOf('root = "text"\nroot.field = 1'),
    'failed assignment (line 2): unable to set target path field as the value of the root was a non-object type (string)',
  )
  assert.equal(
    errorOf('root.a = 1\nroot.a.b = 2'),
    'failed assignment (line 2): unable to set target path a.b as the value of a was a non-object type (number)',
  )
  assert.match(errorOf('root = [1]\nroot.5 = 2'), /exceeded target array size of '1'/)
})

test('output serialisation (spec §13)', () => {
  assert.equal(run('root = "raw text"'), 'raw text')
  assert.equal(run('root = content()', 'bytes in'), 'bytes in')
  assert.equal(run('root.raw = content()', 'hi'), '{"raw":"aGk="}')
  assert.equal(run('root = {"b":1,"a":"<&>","é":1,"Z":2,"10":3,"9":4}'), '{"10":3,"9":4,"Z":2,"a":"<&>","b":1,"é":1}')
  assert.equal(run('root = {"a":"x\\u2028y"}'), '{"a":"x\\u2028y"}')
  assert.equal(run('root = "2021-02-03T16:05:06Z".ts_parse("2006-01-02T15:04:05Z07:00")'), '"2021-02-03T16:05:06Z"')
  assert.equal(run('root = {"a":"<b>"}.string()'), '{"a":"\\u003cb\\u003e"}')
  assert.equal(run('root = null'), 'null')
})

test('metadata reads and writes (spec §7)', () => {
  const meta = { topic: 'orders', empty: '' }
  assert.equal(run('root = [@topic, meta("topic"), metadata("topic"), @missing, meta("empty"), @empty]', '{}', meta), '["orders","orders","orders",null,null,""]')
  assert.equal(run('meta topic = "new"\nroot = [@topic, meta("topic")]', '{}', meta), '["new","orders"]')
  assert.deepEqual(runMeta('meta n = 5 + 2\nmeta topic = deleted()', '{}', meta), { n: 7, empty: '' })
  assert.deepEqual(runMeta('meta = {"a":"b"}', '{}', meta), { a: 'b' })
  assert.deepEqual(runMeta('meta = deleted()', '{}', meta), {})
  assert.deepEqual(runMeta('meta "with space" = 1\n@other = 2', '{}', {}), { 'with space': 1, other: 2 })
  assert.equal(errorOf('meta = "nope"'), 'failed assignment (line 1): setting root meta object requires object value, received: string')
  assert.equal(run('meta n = 3\nroot = @n.type()'), 'number')
  assert.equal(run('root = @', '{}', { b: '2', a: '1' }), '{"a":"1","b":"2"}')
})

test('variables (spec §8)', () => {
  assert.equal(run('let x = 5\nlet "my var" = 2\nroot = [$x, var("my var")]'), '[5,2]')
  assert.equal(run('if true {\n  let y = 1\n}\nroot = $y'), '1')
  assert.equal(errorOf('root.a = $missing'), "failed assignment (line 1): variable 'missing' undefined")
  assert.equal(errorOf('let x = 1\nlet x = deleted()\nroot = $x'), "failed assignment (line 3): variable 'x' undefined")
  assert.equal(errorOf('let v = 1\nmap m {\n  root = $v\n}\nroot = 0.apply("m")'), "failed assignment (line 5): failed assignment (line 3): variable 'v' undefined")
})

test('if expressions and statements (spec §11)', () => {
  assert.equal(run('root = if this.n > 5 { "big" } else if this.n > 1 { "mid" } else { "small" }', '{"n":3}'), 'mid')
  assert.equal(run('root.r = if this.missing { "yes" }\nroot.s = 1'), '{"s":1}')
  assert.equal(run('if this.n == 1 {\n  root.a = "one"\n} else if this.n == 2 {\n  root.a = "two"\n} else {\n  root.a = "other"\n}', '{"n":2}'), '{"a":"two"}')
  assert.equal(errorOf('root.r = if this.n { "yes" }', '{"n":1}'), 'failed assignment (line 1): field `this.n` resolved to a non-boolean value 1 (int64)')
  assert.equal(errorOf('root = 1\nif this.missing {\n  root.a = 1\n}'), 'failed assignment (line 2): field `this.missing` resolved to a non-boolean value <nil> (<nil>)')
})

test('match (spec §11.3)', () => {
  assert.equal(run('root = match this.x { "a" => 1, "b" => 2, _ => 3 }', '{"x":"b"}'), '2')
  assert.equal(run('root = match this.x {\n  this > 5 => "big"\n  _ => "small"\n}', '{"x":10}'), 'big')
  assert.equal(run('root = match {\n  this.x == "a" => "is a",\n}', '{"x":"a"}'), 'is a')
  assert.equal(run('root.v = match this.x { "q" => 1 }\nroot.w = 2', '{"x":"z"}'), '{"w":2}')
  assert.equal(run('root = match this.n { 1.0 => "one", _ => "other" }', '{"n":1}'), 'one')
  assert.equal(run('root = match this { this.n => "never", _ => "default" }', '{"n":5}'), 'default')
  assert.match(errorOf('root = match this { this.n.uppercase() => 1 }', '{"n":5}'), /failed to check match case 0: /)
})

test('lambdas, contexts and named maps (spec §16, §17)', () => {
  assert.equal(run('root = this.user.(u -> u.first + " " + u.last)', '{"user":{"first":"A","last":"L"}}'), 'A L')
  assert.equal(run('root = this.xs.map_each(x -> x + this.off)', '{"xs":[1,2],"off":10}'), '[11,12]')
  assert.equal(run('root = this.xs.map_each(x -> x.ys.map_each(y -> y + x.base))', '{"xs":[{"base":1,"ys":[1,2]}]}'), '[[2,3]]')
  assert.equal(run('root = this.xs.map_each(_ -> this.k)', '{"xs":[1,2],"k":"v"}'), '["v","v"]')
  assert.equal(run('map thing {\n  root.inner = this.first\n}\nroot.foo = this.doc.apply("thing")', '{"doc":{"first":"hi"}}'), '{"foo":{"inner":"hi"}}')
  assert.equal(run('root = null.apply("c")\nmap c {\n  root.made = true\n}'), '{"made":true}')
  assert.equal(run('map fact {\n  root = if this <= 1 { 1 } else { this * (this - 1).apply("fact") }\n}\nroot = 20.apply("fact")'), '2432902008176640000')
  assert.equal(errorOf('map a {\n  root = 1\n}\nroot = 1.apply("b")'), 'failed assignment (line 4): map b was not found')
})

test('unbounded recursion is a mapping error, not a crash', () => {
  const msg = errorOf('map r {\n  root = (this + 1).apply("r")\n}\nroot = 0.apply("r")')
  assert.match(msg, /^failed assignment \(line 4\): .*exceeded maximum allowed stacks of 5000/)
  assert.equal(run('map r {\n  root = if this < 1000 { (this + 1).apply("r") } else { this }\n}\nroot = 0.apply("r")'), '1000')
})

test('runtime errors name the statement line and carry line/col', () => {
  const e = errorDataOf('root.a = 1\n  root.b = throw("kaboom")')
  assert.equal(e.code, 'BLOBLANG_RUNTIME')
  assert.equal(e.message, 'failed assignment (line 2): kaboom')
  assert.equal(e.line, 2)
  assert.equal(e.col, 3)
  assert.equal(errorOf('root.v = this.v', '{broken'), "failed assignment (line 1): unable to reference message as structured (with 'this.v'): parse as json: invalid character 'b' looking for beginning of object key string")
  assert.equal(errorOf('root = this', ''), "failed assignment (line 1): unable to reference message as structured (with 'this'): parse as json: unexpected end of JSON input")
  assert.match(errorOf('root = this.xs.join(",")', '{"xs":["a",1]}'), /^failed assignment \(line 1\): field `this.xs`: .*expected string value, got number \(1\)$/)
})

test('literals: strings, escapes, collections drop delete/nothing', () => {
  assert.equal(run('root = "\\x41\\u00e9\\101\\t"'), 'AéA\t')
  assert.equal(run('root = """a\n"b"\\n"""'), 'a\n"b"\\n')
  assert.equal(run('root = [deleted(), 1, nothing(), if false { 2 }]'), '[1]')
  assert.equal(run('root = {"a": deleted(), "b": nothing(), "c": 1, this.k: 2, ("x" + "y"): 3}', '{"k":"dyn"}'), '{"c":1,"dyn":2,"xy":3}')
  assert.equal(errorOf('root = {this.k: 1}', '{"k":5}'), 'failed assignment (line 1): mapping returned invalid key type: int64')
})

test('batch perspective with from / from_all (spec §18)', () => {
  assert.equal(run('root = [batch_index(), batch_size(), content().from(0), content().from(5), json("a").from_all()]', '{"a":1}'), '[0,1,"eyJhIjoxfQ==","",[1]]')
})
