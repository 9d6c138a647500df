/** The host API: mapping / mutation / check semantics, queries, interpolations, message copies. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileInterpolation, compileMapping, compileQuery } from '../../src/bloblang/index.js'
import { Message } from '../../src/message/message.js'
import { WeirError } from '../../src/errors.js'

const text = (m: Message | undefined): string => (m === undefined ? '<deleted>' : m.text())

test('execMapping builds a new message and leaves the input alone', () => {
  const m = compileMapping('root.v = this.v + 1\nmeta out = "x"\nmeta drop = deleted()')
  const input = new Message('{"v":1}', new Map([['drop', 'me'], ['keep', 'k']]))
  const out = m.execMapping([input], 0)!
  assert.equal(out.text(), '{"v":2}')
  assert.deepEqual([...out.metadata], [['keep', 'k'], ['out', 'x']])
  assert.equal(input.text(), '{"v":1}')
  assert.deepEqual([...input.metadata], [['drop', 'me'], ['keep', 'k']])
  assert.equal(compileMapping('root = deleted()').execMapping([input], 0), undefined)
  assert.equal(text(compileMapping('meta a = 1').execMapping([new Message('not json')], 0)), 'not json')
})

test('execMapping errors are BLOBLANG_RUNTIME with line and column', () => {
  const m = compileMapping('root.a = 1\n  root.b = this.b.uppercase()')
  assert.throws(
    () => m.execMapping([new Message('{"b":5}')], 0),
    (err: WeirError) => err.code === 'BLOBLANG_RUNTIME' && err.data.line === 2 && err.data.col === 3 && err.message.startsWith('failed assignment (line 2): '),
  )
})

test('execMutation edits in place, sees its own edits, and never leaks into copies', () => {
  const m = compileMapping('root.b = this.a + 1\nroot.c = this.b * 2\nmeta k = "v"')
  const original = new Message('{"a":1}')
  original.structured()
  const copy = original.copy()
  assert.equal(m.execMutation([original], 0), true)
  assert.equal(original.text(), '{"a":1,"b":2,"c":4}')
  assert.equal(original.metadata.get('k'), 'v')
  assert.equal(copy.text(), '{"a":1}', 'the copy keeps the original content')
  assert.equal(copy.metadata.has('k'), false)
  assert.equal(compileMapping('root = deleted()').execMutation([new Message('{}')], 0), false)
  const raw = new Message('plain text')
  assert.equal(compileMapping('meta x = "y"').execMutation([raw], 0), true)
  assert.equal(raw.text(), 'plain text')
})

test('a mapping result that shares the input document is not edited through the input', () => {
  const input = new Message('{"a":{"b":1}}')
  const out = compileMapping('root = this').execMapping([input], 0)!
  compileMapping('root.a.b = 2').execMutation([input], 0)
  assert.equal(input.text(), '{"a":{"b":2}}')
  assert.equal(out.text(), '{"a":{"b":1}}')
})

test('execMutation keeps edits made before a failure', () => {
  const msg = new Message('{"a":1}')
  assert.throws(() => compileMapping('root.b = 2\nroot.c = throw("stop")').execMutation([msg], 0), /failed assignment \(line 2\): stop/)
  assert.equal(msg.text(), '{"a":1,"b":2}')
})

test('queryBool requires a boolean root', () => {
  const msg = new Message('{"n":5}')
  assert.equal(compileMapping('root = this.n > 3').queryBool([msg], 0), true)
  assert.equal(compileMapping('this.n < 3').queryBool([msg], 0), false)
  assert.throws(() => compileMapping('root = this').queryBool([msg], 0), { message: 'expected bool value, got object from mapping' })
  assert.throws(() => compileMapping('root = deleted()').queryBool([msg], 0), { message: 'query mapping resulted in deleted message, expected a boolean value' })
  assert.equal(compileMapping('meta a = 1').queryBool([new Message('true')], 0), true)
})

test('compileQuery evaluates one expression against a batch', () => {
  const q = compileQuery('this.id + "-" + batch_index().string()')
  const batch = [new Message('{"id":"a"}'), new Message('{"id":"b"}')]
  assert.equal(q.value(batch, 1), 'b-1')
  assert.throws(() => compileQuery('this.id root = 1'), (e: WeirError) => e.code === 'BLOBLANG_PARSE')
  assert.throws(() => q.value([new Message('nope')], 0), (e: WeirError) => e.code === 'BLOBLANG_RUNTIME')
})

test('interpolations (spec §20)', () => {
  const msg = new Message('{"id":7,"f":1500000.5,"o":{"a":"<"}}', new Map([['topic', 'orders']]))
  const i = compileInterpolation('${! @topic }-${!this.id}/${! this.f } ${! this.f * 2 } ${!this.o} $x ${{! not evaluated }}')
  assert.equal(i.isStatic, false)
  assert.equal(i.string([msg], 0), 'orders-7/1500000.5 3.000001e+06 {"a":"\\u003c"} $x ${! not evaluated }')
  assert.deepEqual(i.bytes([msg], 0), new TextEncoder().encode(i.string([msg], 0)))
  const s = compileInterpolation('plain ${NOT_ENV}')
  assert.equal(s.isStatic, true)
  assert.equal(s.string([], 0), 'plain ${NOT_ENV}')
  assert.equal(compileInterpolation('${! deleted() }').string([msg], 0), 'null')
  assert.deepEqual(compileInterpolation('${! content() }').bytes([msg], 0), msg.bytes())
  assert.throws(() => compileInterpolation('${! this.id '), (e: WeirError) => e.code === 'BLOBLANG_PARSE' && e.message === 'line 1 char 13: required: expected end of expression')
  assert.throws(() => compileInterpolation('${! this.id.uppercase() }').string([msg], 0), (e: WeirError) => e.code === 'BLOBLANG_RUNTIME')
})

test('one compiled mapping serves many messages; counter() keeps state per call site', () => {
  const m = compileMapping('root.a = counter()\nroot.b = counter(min: 10)')
  const outs = [1, 2, 3].map(() => m.execMapping([new Message('{}')], 0)!.text())
  assert.deepEqual(outs, ['{"a":1,"b":10}', '{"a":2,"b":11}', '{"a":3,"b":12}'])
  const shared = compileMapping('root = this.xs.map_each(x -> x.map_each(y -> y + 1))')
  assert.equal(shared.execMapping([new Message('{"xs":[[1],[2]]}')], 0)!.text(), '[[2],[3]]')
  assert.equal(shared.execMapping([new Message('{"xs":[[5]]}')], 0)!.text(), '[[6]]')
})

test('Message.copy shares content until one side is edited', () => {
  const a = new Message('{"x":{"y":1}}')
  const v = a.structured() as { x: { y: number } }
  const b = a.copy()
  const editable = b.structuredMut() as { x: { y: number } }
  editable.x.y = 2
  assert.equal(v.x.y, 1)
  assert.equal(a.text(), '{"x":{"y":1}}')
  assert.equal(b.text(), '{"x":{"y":2}}')
})

test('the conformance contract: apply({content, metadata})', () => {
  const out = compileMapping('root = content().uppercase()\nmeta n = 5').apply({ content: 'abc', metadata: { k: 'v' } })!
  assert.equal(new TextDecoder().decode(out.content), 'ABC')
  assert.deepEqual(out.metadata, { k: 'v', n: 5 })
})
