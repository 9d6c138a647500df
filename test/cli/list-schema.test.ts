/**
 * `weir list` and `weir jsonschema` through the real CLI; the schema is checked with a real
 * draft-07 validator (ajv) against every bundled example and every component example, and must
 * reject misspellings.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { parse } from 'yaml'
import AjvModule from 'ajv'
import { runCli, tempDir } from '../helpers/cli-host.js'
import { BUILTIN_SPECS, EXTRA_COMPONENTS_ENV } from '../../src/components/registry.js'
import { EXTRA_COMPONENTS_FILE } from '../fixtures/extra-components.js'

const Ajv = AjvModule.default
const EXAMPLES = fileURLToPath(new URL('../../../examples/streams/', import.meta.url))

interface Entry {
  name: string
  status: string
  summary: string
}

async function validator(which = 'stream'): Promise<(v: unknown) => { ok: boolean; errors: string[] }> {
  const r = await runCli(['jsonschema', which])
  assert.equal(r.code, 0, r.stderr)
  const schema = JSON.parse(r.stdout) as Record<string, unknown>
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#')
  // Strict mode: unknown keywords or malformed subschemas fail compilation.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
  const check = ajv.compile(schema)
  return (v) => {
    const ok = check(v)
    return { ok, errors: (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`) }
  }
}

test('the stream JSON schema accepts every bundled and documented example and rejects misspellings', async (t) => {
  const validate = await validator()
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))
  assert.ok(files.length >= 3)
  for (const f of files) {
    const r = validate(parse(readFileSync(join(EXAMPLES, f), 'utf8')))
    assert.ok(r.ok, `examples/streams/${f}: ${r.errors.join('\n')}`)
  }
  // An example that declares resources beside its stream is a full config (resources are root-level).
  const validateFull = await validator('full')
  await t.test('component examples', () => {
    let n = 0
    for (const spec of BUILTIN_SPECS) {
      for (const ex of spec.examples ?? []) {
        const doc = parse(ex.config) as Record<string, unknown>
        const r = (Object.keys(doc).some((k) => k.endsWith('_resources')) ? validateFull : validate)(doc)
        assert.ok(r.ok, `${spec.kind} ${spec.name} "${ex.title}": ${r.errors.join('\n')}`)
        n++
      }
    }
    assert.ok(n >= 8, `only ${n} component examples`)
  })
  await t.test('misspellings fail', () => {
    const bad: [string, unknown, RegExp][] = [
      ['component name', { pipeline: { processors: [{ mappings: 'root = 1' }] } }, /must NOT have additional properties.*"mappings"/],
      ['field in a component', { input: { http_server: { pathh: '/post' } } }, /\/input\/http_server must NOT have additional properties.*"pathh"/],
      ['top-level field', { pipline: {} }, /must NOT have additional properties.*"pipline"/],
      ['enum value', { pipeline: { processors: [{ log: { level: 'LOUD' } }] } }, /\/pipeline\/processors\/0\/log\/level must be equal to one of the allowed values/],
      ['two components in one object', { output: { drop: {}, stdout: {} } }, /must match exactly one schema in oneOf/],
      ['type of a field', { input: { generate: { mapping: 'root = 1', count: 'many' } } }, /\/input\/generate\/count/],
    ]
    for (const [what, value, want] of bad) {
      const r = validate(value)
      assert.equal(r.ok, false, `${what} passed`)
      assert.match(r.errors.join('\n'), want, what)
    }
  })
  await t.test('env references are valid scalars, labels and defaults are described', async () => {
    assert.ok(validate({ input: { generate: { mapping: 'root = 1', count: '${COUNT:5}' } }, output: { label: 'out_1', drop: {} } }).ok)
    assert.equal(validate({ output: { label: 'Bad Label', drop: {} } }).ok, false)
    const schema = JSON.parse((await runCli(['jsonschema'])).stdout) as { definitions: { input: { properties: { generate: { description: string; properties: { interval: { default: unknown } } } } } } }
    assert.match(schema.definitions.input.properties.generate.description, /^Generates messages/)
    assert.equal(schema.definitions.input.properties.generate.properties.interval.default, '1s')
  })
})

test('weir list prints components by kind with status and summary, as text and JSON', async () => {
  const text = await runCli(['list', 'processors', 'outputs'])
  assert.equal(text.code, 0, text.stderr)
  assert.match(text.stdout, /^Processors:\n {2}- archive +stable +Archives all the messages/)
  assert.match(text.stdout, /\n {2}- bloblang +stable +Executes a Bloblang mapping/)
  assert.match(text.stdout, /\n {2}- crash +beta +Crashes the process/)
  assert.match(text.stdout, /\n\nOutputs:\n/)
  assert.doesNotMatch(text.stdout, /Inputs:|x_weir_fault/)

  const json = await runCli(['list', '--format', 'json'])
  const all = JSON.parse(json.stdout) as Record<string, Entry[]>
  assert.deepEqual(Object.keys(all), ['inputs', 'processors', 'outputs', 'caches', 'rate-limits', 'buffers', 'metrics', 'tracers', 'scanners', 'bloblang-functions', 'bloblang-methods'])
  assert.deepEqual(all.processors!.find((e) => e.name === 'mapping')?.status, 'stable')
  assert.ok(all['bloblang-methods']!.some((e) => e.name === 'uppercase'))
  assert.ok(all.metrics!.some((e) => e.name === 'prometheus' && e.summary !== ''))
  assert.equal(all.processors!.some((e) => e.name === 'x_weir_fault'), false, 'test components are not shipped')

  const beta = JSON.parse((await runCli(['list', '--format', 'json', '--status', 'beta', 'processors'])).stdout) as Record<string, Entry[]>
  assert.deepEqual(Object.keys(beta), ['processors'])
  assert.deepEqual(beta.processors, all.processors!.filter((e) => e.status === 'beta'))
  assert.ok(beta.processors!.some((e) => e.name === 'crash'))

  const bad = await runCli(['list', 'widgets'])
  assert.equal(bad.code, 1)
  assert.match(bad.stderr, /unknown component type: widgets/)
})

test('extra components named by WEIR_EXTRA_COMPONENTS appear in list, lint and the schema', async (t) => {
  const env = { [EXTRA_COMPONENTS_ENV]: EXTRA_COMPONENTS_FILE }
  const listed = JSON.parse((await runCli(['list', '--format', 'json', 'processors'], { env })).stdout) as Record<string, Entry[]>
  assert.equal(listed.processors!.find((e) => e.name === 'x_weir_fault')?.status, 'experimental')
  const schema = (await runCli(['jsonschema'], { env })).stdout
  assert.match(schema, /"x_weir_fault"/)
  const dir = tempDir(t)
  writeFileSync(join(dir, 'fault.yaml'), 'pipeline:\n  processors:\n    - x_weir_fault: { mode: exit }\n')
  const lintWith = await runCli(['lint', join(dir, 'fault.yaml')], { env })
  const lintWithout = await runCli(['lint', join(dir, 'fault.yaml')])
  assert.deepEqual([lintWith.code, lintWith.stdout + lintWith.stderr], [0, ''])
  assert.equal(lintWithout.code, 1)
})
