/** Objects and arrays (spec §23.7) and type conversions (spec §23.3). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorOf, run } from './helpers.js'

test('length, index, slice, contains on every target kind', () => {
  assert.equal(run('root = [this.s.length(), this.xs.length(), this.o.length(), content().length()]', '{"s":"héllo","xs":[1,2],"o":{"a":1}}'), '[6,2,1,37]')
  assert.equal(run('root = [this.xs.index(0), this.xs.index(-1), "ab".bytes().index(1)]', '{"xs":[1,2,3]}'), '[1,3,98]')
  assert.equal(errorOf('root = this.xs.index(2)', '{"xs":[1,2]}'), "failed assignment (line 1): field `this.xs`: index '2' was out of bounds for array size: 2")
  assert.equal(run('root = ["hello".slice(1, 3), "hello".slice(-3), [1,2,3,4].slice(1, -1), "hello".slice(2, 100)]'), '["el","llo",[2,3],"llo"]')
  assert.equal(errorOf('root = "abc".slice(-1, -2)'), 'failed assignment (line 1): string literal: lower slice bound 2 must be lower than or equal to upper bound (1) and target length (3)')
  assert.equal(run('root = ["foobar".contains("oba"), [1,"2"].contains(2), [1,"2"].contains("2"), {"a":1.0}.contains(1), "x5".contains(5)]'), '[true,false,true,true,true]')
  assert.equal(errorOf('root = 5.contains(1)'), 'failed assignment (line 1): expected string, array or object value, got number from number literal (5)')
})

test('keys, values, key_values, get, exists', () => {
  assert.equal(run('root = this.keys()', '{"b":1,"a":2,"é":3,"B":4}'), '["B","a","b","é"]')
  assert.equal(run('root = this.values().sort()', '{"b":1,"a":2}'), '[1,2]')
  assert.equal(run('root = this.key_values().sort_by(kv -> kv.key)', '{"b":2,"a":1}'), '[{"key":"a","value":1},{"key":"b","value":2}]')
  assert.equal(errorOf('root = this.s.keys()', '{"s":"x"}'), 'failed assignment (line 1): expected object value, got string from field `this.s` ("x")')
})

test('append, concat, merge, assign, with, without, squash, zip', () => {
  assert.equal(run('root = [1].append(2, [3])'), '[1,2,[3]]')
  assert.equal(run('root = [1].concat([2], [3, 4])'), '[1,2,3,4]')
  assert.equal(run('root = {"a":{"b":1},"c":[1]}.merge({"a":{"b":2,"d":3},"c":2})'), '{"a":{"b":[1,2],"d":3},"c":[1,2]}')
  assert.equal(run('root = {"a":{"b":1}}.assign({"a":{"b":2,"c":3}})'), '{"a":{"b":2,"c":3}}')
  assert.equal(run('root = [1].merge([2,3])'), '[1,2,3]')
  assert.equal(run('root = this.without("a.b", "c", "zz.y")', '{"a":{"b":1,"x":2},"c":3,"d":4}'), '{"a":{"x":2},"d":4}')
  assert.equal(run('root = this.with("a.b", "d")', '{"a":{"b":1,"x":2},"c":3,"d":4}'), '{"a":{"b":1},"d":4}')
  assert.equal(run('root = [{"a":1},{"b":2},{"a":3}].squash()'), '{"a":[1,3],"b":2}')
  assert.equal(run('root = [1,2].zip(["a","b"], [true,false])'), '[[1,"a",true],[2,"b",false]]')
  assert.match(errorOf('root = [1,2].zip([1])'), /can't zip different length array values/)
})

test('map_each, map_each_key, filter, fold, any, all', () => {
  assert.equal(run('root = this.xs.map_each(x -> if x % 2 == 0 { deleted() } else { x * 10 })', '{"xs":[1,2,3]}'), '[10,30]')
  assert.equal(run('root = this.xs.map_each(x -> if x > 1 { x * 10 })', '{"xs":[1,2]}'), '[1,20]')
  assert.equal(run('root = this.map_each(kv -> kv.value + 1)', '{"a":1,"b":2.5}'), '{"a":2,"b":3.5}')
  assert.equal(run('root = this.map_each_key(k -> k.uppercase())', '{"ab":1}'), '{"AB":1}')
  assert.equal(run('root = [this.xs.filter(x -> x > 2), this.o.filter(kv -> kv.value != null)]', '{"xs":[1,5,2,8],"o":{"a":1,"b":null}}'), '[[5,8],{"a":1}]')
  assert.equal(run('root = this.xs.fold(0, t -> t.tally + t.value)', '{"xs":[4,5,6]}'), '15')
  assert.equal(run('root = [[1,5].any(x -> x > 4), [1,5].all(x -> x > 0), [].all(x -> true), [].any(x -> true)]'), '[true,true,false,false]')
  assert.equal(errorOf('root = [1].all(x -> "y")'), 'failed assignment (line 1): array literal: element 0: expected bool value, got string ("y")')
  assert.equal(
    errorOf('root = this.xs.map_each(x -> x.uppercase())', '{"xs":["a",1]}'),
    'failed assignment (line 1): field `this.xs`: failed to process element 1: expected string value, got number from field `x` (1)',
  )
  assert.equal(errorOf('root = this.n.map_each(x -> x)', '{"n":3}'), 'failed assignment (line 1): expected array value, got number from field `this.n` (3)')
})

test('sort, sort_by, unique, flatten, collapse, enumerated, explode, find*', () => {
  assert.equal(run('root = [[3,1,2.5].sort(), ["b","a","C"].sort(), ["b","c","a"].sort(p -> p.left > p.right)]'), '[[1,2.5,3],["C","a","b"],["c","b","a"]]')
  assert.match(errorOf('root = [1,"a"].sort()'), /^failed assignment \(line 1\): sort element [01]: expected (number|string) value, got (string|number)/)
  assert.equal(run('root = this.people.sort_by(p -> p.age).map_each(p -> p.name)', '{"people":[{"name":"x","age":30},{"name":"y","age":20}]}'), '["y","x"]')
  assert.equal(run('root = [1, "a", 1.0, "a", "1", 2].unique()'), '[1,"a","1",2]')
  assert.equal(run('root = [{"id":1},{"id":1},{"id":2}].unique(x -> x.id)'), '[{"id":1},{"id":2}]')
  assert.equal(run('root = [[1],[2,[3]],4].flatten()'), '[1,2,[3],4]')
  assert.equal(run('root = this.collapse()', '{"a":{"b":[1,{"c":2}],"e":{}}}'), '{"a.b.0":1,"a.b.1.c":2}')
  assert.equal(run('root = this.collapse(true)', '{"a":{"e":{},"f":[]}}'), '{"a.e":{},"a.f":[]}')
  assert.equal(run('root = ["a","b"].enumerated()'), '[{"index":0,"value":"a"},{"index":1,"value":"b"}]')
  assert.equal(run('root = this.explode("v")', '{"id":1,"v":[1,2]}'), '[{"id":1,"v":1},{"id":1,"v":2}]')
  assert.equal(run('root = this.explode("v")', '{"id":1,"v":{"x":1,"y":2}}'), '{"x":{"id":1,"v":1},"y":{"id":1,"v":2}}')
  assert.equal(run('root = [[1,3,5,3].find(3), [1,3].find(9), [1,3,3].find_all(3), [1,5].find_by(x -> x > 2), [1,5,6].find_all_by(x -> x > 2)]'), '[1,-1,[1,2],1,[1,2]]')
})

test('conversions (spec §23.3)', () => {
  assert.equal(run('root = [1.type(), "a".type(), null.type(), [].type(), {}.type(), true.type(), "x".bytes().type(), now().ts_parse("2006-01-02T15:04:05.999999999Z07:00").type()]'), '["number","string","null","array","object","bool","bytes","timestamp"]')
  assert.equal(run('root = [this.n.string(), this.o.string(), 5.string(), 2.5.string(), true.string(), null.string()]', '{"n":1.0,"o":{"x":"<"}}'), '["1.0","{\\"x\\":\\"\\\\u003c\\"}","5","2.5","true","null"]')
  assert.equal(run('root = ["0x1F".int64(), "017".int64(), 5.0.int64(), this.big.int64()]', '{"big":9223372036854775807}'), '[31,15,5,9223372036854775807]')
  assert.equal(errorOf('root = 12.5.int64()'), 'failed assignment (line 1): number literal: float value contains decimals and therefore cannot be cast as a signed integer, if you intend to round the value then call `.round()` explicitly before this cast')
  assert.match(errorOf('root = 300.uint8()'), /value is too large to be cast as an 8-bit unsigned integer/)
  assert.match(errorOf('root = (-1).uint64()'), /signed integer value is negative and cannot be cast as an unsigned integer/)
  assert.equal(run('root = [1 + 5.int32(), "18446744073709551615".uint64(), 1.1.float32(), "1e3".float64()]'), '[6,18446744073709551615,1.1,1000]')
  assert.match(errorOf('root = 5.uint8() + 1'), /cannot add types number \(from method uint8\) and number \(from number literal\)/)
  assert.equal(run('root = ["12".number(), "x".number(5), this.v.number(1)]', '{"v":"2.5"}'), '[12,5,2.5]')
  assert.match(errorOf('root = this.v.number()', '{"v":"twelve"}'), /strconv.ParseFloat: parsing "twelve": invalid syntax/)
  assert.equal(run('root = ["true".bool(), "F".bool(), 0.bool(), "nah".bool(true), this.missing.bool(false)]'), '[true,false,false,true,false]')
  assert.match(errorOf('root = this.v.bool()', '{"v":"nope"}'), /expected bool value, got string from field `this.v` \("nope"\)/)
  assert.equal(run('root = [5.array(), [5].array()]'), '[[5],[5]]')
  assert.equal(errorOf('root.a = this.a.not_null()', '{"b":1}'), 'failed assignment (line 1): field `this.a`: value is null')
  assert.equal(errorOf('root.a = this.a.not_empty()', '{"a":[]}'), 'failed assignment (line 1): field `this.a`: array value is empty')
  assert.equal(run('root = 1612345678.timestamp().ts_unix()'), '1612345678')
})
