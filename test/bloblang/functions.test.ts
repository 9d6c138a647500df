/** Functions (spec §23.1, §23.2, §19). */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileMapping } from '../../src/bloblang/index.js'
import { Message } from '../../src/message/message.js'
import type { Value } from '../../src/value/index.js'
import { errorOf, run } from './helpers.js'

test('message functions read the message at the current index', () => {
  const batch = [new Message('{"a":1}', new Map<string, Value>([['k', 'v0']])), new Message('{"a":2}', new Map<string, Value>([['k', 'v1'], ['n', 5]]))]
  batch[1]!.error = { message: 'boom', sourceName: 'mapping', sourceLabel: 'lbl', sourcePath: 'pipeline.processors.0' }
  const m = compileMapping(
    'root = [content().string(), json("a"), meta("k"), metadata("n"), metadata("n").type(), meta("n"), batch_index(), batch_size(), error(), errored(), error_source_name(), error_source_label(), error_source_path(), json("a").from(0), meta("k").from(-1)]',
  )
  assert.equal(m.execMapping(batch, 1)!.text(), '["{\\"a\\":2}",2,"v1",5,"number","5",1,2,"boom",true,"mapping","lbl","pipeline.processors.0",1,"v1"]')
  assert.equal(m.execMapping(batch, 0)!.text(), '["{\\"a\\":1}",1,"v0",null,"null",null,0,2,null,false,null,null,null,1,"v1"]')
  assert.equal(run('root = [meta(), metadata()]', '{}', { a: 'x', b: 2 }), '[{"a":"x","b":"2"},{"a":"x","b":2}]')
  assert.equal(run('meta a = "new"\nroot = [root_meta("a"), meta("a")]', '{}', { a: 'old' }), '["new","old"]')
  assert.match(errorOf('root = json("a")', 'nope'), /invalid character 'o' in literal null/)
})

test('nanoid: long ids are linear, and the length counts characters, not UTF-16 units (found by fuzzing)', () => {
  // Was quadratic (the output re-spread on every character): 65536 ids took minutes.
  assert.equal(run('root = nanoid(65536, "é").length()'), '131072') // bytes: é is two
  assert.equal(run('root = nanoid(65536, "é").replace_all("é", "")'), '')
  // Astral alphabets stopped short: 3 asked, 2 given (the loop compared UTF-16 length).
  assert.equal(run('root = nanoid(3, "😀").re_match("^(😀){3}$")'), 'true')
  assert.equal(run('root = nanoid(5, "a😀").re_match("^(a|😀){5}$")'), 'true')
})

test('json() returns plain numbers (the reference sanitises json.Number)', () => {
  assert.equal(run('root = [json("a"), json("a").string(), this.a.string()]', '{"a":1.50}'), '[1.5,"1.5","1.50"]')
})

test('general functions', () => {
  assert.equal(run('root = [range(0, 10, 3), range(5, 0, -2), range(start: 1, stop: 3)]'), '[[0,3,6],[5,3],[1,2]]')
  assert.match(errorOf('root = range(5, 0)'), /with positive step arg start \(5\) must be < stop \(0\)/)
  assert.match(errorOf('root = range(0, 100000000000)'), /exceeds the limit/)
  assert.equal(errorOf('root = throw("why " + "not")'), 'failed assignment (line 1): why not')
  assert.equal(run('root = [uuid_v4().length(), uuid_v7().length(), nanoid().length(), nanoid(5).length(), nanoid(4, "ab").re_match("^[ab]{4}$"), ksuid().length()]'), '[36,36,21,5,true,27]')
  assert.match(run('root = uuid_v4()'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.match(run('root = uuid_v7()'), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.match(errorOf('root = nanoid(alphabet: "ab")'), /field length must be specified when an alphabet is specified/)
  assert.equal(run('root = [bytes(3).length(), pi() > 3.14, pi() < 3.15]'), '[3,true,true]')
  assert.equal(run('let x = 3\nroot = var("x")'), '3')
  const r = compileMapping('root = random_int(seed: 1, min: 5, max: 9)')
  for (let i = 0; i < 20; i++) {
    const v = Number(r.execMapping([new Message('{}')], 0)!.text())
    assert.ok(v >= 5 && v <= 9, `random_int out of range: ${v}`)
  }
  assert.match(errorOf('root = random_int(min: 10, max: 1)'), /min \(10\) must be smaller or equal than max \(1\)/)
})

test('counter: min, max wrap, set and peek', () => {
  const m = compileMapping('root = counter(min: 1, max: 3, set: if this.peek == true { null } else if this.reset == true { deleted() } else if this.to != null { this.to })')
  const next = (input = '{}'): string => m.execMapping([new Message(input)], 0)!.text()
  assert.deepEqual([next(), next(), next(), next()], ['1', '2', '3', '1'])
  assert.equal(next('{"peek":true}'), '1')
  assert.equal(next('{"to":7}'), '7')
  assert.equal(next('{"reset":true}'), '1')
})

test('environment functions', () => {
  process.env.WEIR_BLOBL_TEST = 'from-env'
  assert.equal(run('root = [env("WEIR_BLOBL_TEST"), env("WEIR_BLOBL_UNSET_X")]'), '["from-env",null]')
  const cached = compileMapping('root = env("WEIR_BLOBL_TEST")')
  const live = compileMapping('root = env(name: "WEIR_BLOBL_TEST", no_cache: true)')
  process.env.WEIR_BLOBL_TEST = 'changed'
  assert.equal(cached.execMapping([new Message('{}')], 0)!.text(), 'from-env')
  assert.equal(live.execMapping([new Message('{}')], 0)!.text(), 'changed')
  delete process.env.WEIR_BLOBL_TEST
  assert.equal(run('root = hostname()'), hostname())
  const dir = mkdtempSync(join(tmpdir(), 'weir-blobl-fn-'))
  writeFileSync(join(dir, 'data.txt'), 'file contents')
  assert.equal(run('root = file_rel("data.txt").string()', '{}', undefined, { configDir: dir }), 'file contents')
  assert.equal(run(`root = file(${JSON.stringify(join(dir, 'data.txt'))}).type()`), 'bytes')
  assert.match(errorOf('root = file_rel("missing.txt")', '{}', { configDir: dir }), /open missing.txt: no such file or directory/)
  const now = Date.now()
  const out = JSON.parse(run('root = [timestamp_unix(), timestamp_unix_milli(), timestamp_unix_micro(), timestamp_unix_nano().string(), now()]')) as [number, number, number, string, string]
  assert.ok(Math.abs(out[0] - now / 1000) < 60)
  assert.ok(Math.abs(out[1] - now) < 60000)
  assert.ok(Math.abs(out[2] / 1000 - now) < 60000)
  assert.equal(out[3].length, 19)
  assert.ok(Math.abs(Date.parse(out[4]) - now) < 60000)
  assert.match(out[4], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
})
