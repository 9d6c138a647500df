import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Message } from '../../src/message/message.js'
import { compileMapping } from '../../src/bloblang/index.js'

test('copies share metadata until one side edits it', () => {
  const a = new Message('{}', new Map([['k', 'a']]))
  const b = a.copy()
  assert.equal(b.metadata, a.metadata, 'shared after copy')
  b.metaMut().set('k', 'b')
  assert.equal(a.metadata.get('k'), 'a')
  assert.equal(b.metadata.get('k'), 'b')
  // The original was marked shared too: its own edit must not reach the copy.
  const c = a.copy()
  a.metaMut().set('k', 'a2')
  assert.equal(c.metadata.get('k'), 'a')
  assert.equal(a.metadata.get('k'), 'a2')
  // Once owned, further edits do not copy again.
  const owned = a.metaMut()
  assert.equal(a.metaMut(), owned)
})

test('a mapping that writes metadata leaves the input message untouched', () => {
  const m = compileMapping('meta out = "x"\nmeta k = deleted()\nroot = @')
  const input = new Message('{}', new Map([['k', 'in']]))
  const out = m.execMapping([input], 0)!
  assert.deepEqual([...input.metadata], [['k', 'in']])
  assert.deepEqual([...out.metadata], [['out', 'x']])
  assert.deepEqual(JSON.parse(out.text()), { out: 'x' })
})

test('metadata given as a function is built on first use, once per message, and copies build their own', () => {
  let built = 0
  const source = (): Map<string, string> => {
    built++
    return new Map([['k', 'v']])
  }
  const a = new Message('{}', source)
  const b = a.copy()
  assert.equal(built, 0, 'nothing read yet')
  assert.equal(a.metadata.get('k'), 'v')
  assert.equal(a.metadata.get('k'), 'v')
  assert.equal(built, 1)
  b.metaMut().set('k', 'b')
  assert.equal(built, 2)
  assert.equal(a.metadata.get('k'), 'v', 'the copy edited its own map')
  // A copy made after first use shares the built map until one side edits it.
  const c = a.copy()
  assert.equal(c.metadata, a.metadata)
  assert.equal(built, 2)
  // No metadata at all: reads see an empty map, edits get a map of their own.
  const plain = new Message('x')
  assert.equal(plain.metadata.size, 0)
  plain.metaMut().set('n', 1)
  assert.equal(new Message('y').metadata.size, 0, 'the empty map read by others is untouched')
})
