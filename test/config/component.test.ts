import { test } from 'node:test'
import assert from 'node:assert/strict'
import { f } from '../../src/spec/index.js'
import { applyDefaults, resolveComponent } from '../../src/config/component.js'
import { WeirError } from '../../src/errors.js'
import { withStreamDefaults } from '../../src/config/schema.js'
import { TEST_SPECS, lookup, lookupOf } from './fixtures.js'

function resolveError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof WeirError)
    return { code: err.code, message: err.message, path: err.data.path }
  }
  return undefined
}

test('resolveComponent infers the type and fills defaults recursively', () => {
  const r = resolveComponent('output', { label: 'out', http_client: { url: 'http://x', tls: { enabled: true } }, processors: [{ noop: {} }] }, lookup, 'output')
  assert.equal(r.name, 'http_client')
  assert.equal(r.label, 'out')
  assert.equal(r.spec.name, 'http_client')
  assert.deepEqual(r.conf, { url: 'http://x', verb: 'POST', tls: { enabled: true, root_cas: '' } })
  assert.deepEqual(r.processors, [{ noop: {} }])
})

test('resolveComponent accepts the legacy type form and null configs', () => {
  assert.deepEqual(resolveComponent('output', { type: 'drop' }, lookup, 'output').conf, {})
  assert.deepEqual(resolveComponent('input', { type: 'stdin', stdin: { codec: 'all-bytes' } }, lookup, 'input').conf, { codec: 'all-bytes' })
  assert.deepEqual(resolveComponent('input', { stdin: null }, lookup, 'input').conf, { codec: 'lines' })
  const mapping = resolveComponent('processor', { label: 'm', mapping: 'root = 1' }, lookup, 'root.pipeline.processors.0')
  assert.deepEqual([mapping.name, mapping.label, mapping.conf, mapping.processors], ['mapping', 'm', 'root = 1', undefined])
})

test('array items, maps and nested objects get their defaults; nested components stay raw', () => {
  const sw = resolveComponent('processor', { switch: [{ check: 'this.a' }, { processors: [{ mapping: 'x' }] }] }, lookup, 'p')
  assert.deepEqual(sw.conf, [
    { check: 'this.a', processors: [] },
    { check: '', processors: [{ mapping: 'x' }] },
  ])
  const broker = resolveComponent('input', { broker: { inputs: [{ stdin: {} }] } }, lookup, 'input')
  assert.deepEqual(broker.conf, { inputs: [{ stdin: {} }], copies: 1 })
  const cache = resolveComponent('cache', { memory: { init_values: { a: 'b' } } }, lookup, 'cache_resources')
  assert.deepEqual(cache.conf, { default_ttl: '5m', init_values: { a: 'b' } })
  // Defaults are copies: mutating one config never leaks into the next.
  const a = resolveComponent('input', { http_server: {} }, lookup, 'input').conf as { allowed_verbs: string[] }
  a.allowed_verbs.push('GET')
  assert.deepEqual((resolveComponent('input', { http_server: {} }, lookup, 'input').conf as { allowed_verbs: string[] }).allowed_verbs, ['POST'])
})

test('resolveComponent errors carry the config path', () => {
  assert.deepEqual(resolveError(() => resolveComponent('input', { foo: {} }, lookup, 'input')), {
    code: 'CONFIG_UNKNOWN_COMPONENT',
    message: 'unable to infer input type from candidates: [foo]',
    path: 'input',
  })
  assert.deepEqual(resolveError(() => resolveComponent('input', { stdin: {}, generate: {} }, lookup, 'input')), {
    code: 'CONFIG_UNKNOWN_COMPONENT',
    message: "unable to infer input type, multiple candidates 'generate' and 'stdin'",
    path: 'input',
  })
  assert.deepEqual(resolveError(() => resolveComponent('input', { label: 'x' }, lookup, 'input')), {
    code: 'CONFIG_UNKNOWN_COMPONENT',
    message: 'an explicit input type must be specified',
    path: 'input',
  })
  assert.deepEqual(resolveError(() => resolveComponent('output', { type: 'nope' }, lookup, 'output')), {
    code: 'CONFIG_UNKNOWN_COMPONENT',
    message: "output type 'nope' was not recognised",
    path: 'output',
  })
  assert.deepEqual(resolveError(() => resolveComponent('output', { http_client: {} }, lookup, 'root.output.broker.outputs.1')), {
    code: 'CONFIG_REQUIRED',
    message: "field 'url' is required and was not present in the config",
    path: 'output.broker.outputs[1].http_client.url',
  })
  assert.deepEqual(resolveError(() => resolveComponent('input', { stdin: {}, processors: {} }, lookup, ['input'])), {
    code: 'CONFIG_TYPE',
    message: 'processors: unexpected value, expected array got object',
    path: 'input.processors',
  })
  assert.deepEqual(resolveError(() => resolveComponent('processor', 'mapping', lookup, 'pipeline.processors[3]')), {
    code: 'CONFIG_TYPE',
    message: 'unexpected value, expected object, got string',
    path: 'pipeline.processors[3]',
  })
})

test('applyDefaults follows the field spec', () => {
  const spec = f.object('conf', [
    f.string('a', { default: 'x' }),
    f.string('b'),
    f.string('c', { optional: true }),
    f.object('nested', [f.int('n', { default: 1 })]),
    f.object('preset', [f.int('n', { default: 1 }), f.int('m', { default: 2 })], { default: { n: 5 } }),
    f.array(f.object('items', [f.bool('on', { default: true })])),
    f.map(f.int('counts', { default: { z: 0 } })),
  ])
  assert.deepEqual(applyDefaults(spec, undefined), { a: 'x', nested: { n: 1 }, preset: { n: 5, m: 2 }, items: [], counts: { z: 0 } })
  assert.deepEqual(applyDefaults(spec, { b: 'y', items: [{}, { on: false }], extra: 1 }), {
    a: 'x',
    b: 'y',
    nested: { n: 1 },
    preset: { n: 5, m: 2 },
    items: [{ on: true }, { on: false }],
    counts: { z: 0 },
    extra: 1,
  })
  assert.equal(applyDefaults(f.duration('d', { default: '5s' }), undefined), '5s')
})

test('withStreamDefaults fills omitted stream sections', () => {
  assert.deepEqual(withStreamDefaults({ output: { drop: {} }, pipeline: { processors: [{ noop: {} }] } }, lookup), {
    input: { stdin: {} },
    buffer: { none: {} },
    pipeline: { threads: -1, processors: [{ noop: {} }] },
    output: { drop: {} },
  })
  const noStdio = lookupOf(TEST_SPECS.filter((s) => s.name !== 'stdin' && s.name !== 'stdout'))
  assert.deepEqual(withStreamDefaults({ pipeline: null }, noStdio), {
    input: { inproc: '' },
    buffer: { none: {} },
    pipeline: { threads: -1, processors: [] },
    output: { reject: 'message rejected by default because an output is not configured' },
  })
})
