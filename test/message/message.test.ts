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
