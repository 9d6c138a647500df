/**
 * Stream workers load component modules on demand (src/components/loaders.ts, lazy-registry.ts)
 * and start from the one-file bundle: the loader list stays equal to the built-ins, an unknown name
 * still gets its located error and suggestion, and streams made of lazily loaded components run
 * end to end in the real CLI.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUILTIN_SPECS } from '../../src/components/registry.js'
import { BUILTIN_LOADERS } from '../../src/components/loaders.js'
import { lazyRegistry } from '../../src/components/lazy-registry.js'
import { defineComponent, f, layeredLookup, type ComponentSpec } from '../../src/spec/index.js'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

test('every built-in has a loader, in the same order, loading the very spec the registry holds', async () => {
  assert.deepEqual(
    BUILTIN_LOADERS.map((l) => `${l.kind}/${l.name}`),
    BUILTIN_SPECS.map((s) => `${s.kind}/${s.name}`),
  )
  for (const [i, l] of BUILTIN_LOADERS.entries()) assert.equal((await l.load()).default, BUILTIN_SPECS[i], `${l.kind}/${l.name}`)
})

const spec = (kind: 'processor' | 'output', name: string): ComponentSpec =>
  defineComponent({ kind, name, config: f.object('', []), build: () => ({}) as never })

test('a lazy registry knows every name up front and answers get only for what it loaded', async () => {
  const loads: string[] = []
  const loader = (kind: 'processor' | 'output', name: string) => ({
    kind,
    name,
    load: () => {
      loads.push(name)
      return Promise.resolve({ default: spec(kind, name) })
    },
  })
  const extra = spec('processor', 'x_extra')
  const r = lazyRegistry([loader('processor', 'b_proc'), loader('processor', 'a_proc'), loader('output', 'a_out')], [extra])
  assert.deepEqual(r.names('processor'), ['a_proc', 'b_proc', 'x_extra'])
  assert.deepEqual(r.names('output'), ['a_out'])
  assert.equal(r.get('processor', 'a_proc'), undefined)
  assert.equal(r.get('processor', 'x_extra'), extra)

  // Unknown names and names of another kind load nothing; concurrent loads share one import.
  await Promise.all([r.load('processor', ['a_proc', 'nope', 'a_out']), r.load('processor', ['a_proc'])])
  assert.deepEqual(loads, ['a_proc'])
  assert.equal(r.get('processor', 'a_proc')?.name, 'a_proc')
  assert.equal(r.get('output', 'a_out'), undefined)
  await r.load('processor', ['a_proc'])
  assert.deepEqual(loads, ['a_proc'])

  // Layered over templates (as the worker does), loading still reaches the base.
  const layered = layeredLookup(r, [spec('processor', 'tpl')])
  await layered.load!('output', ['a_out'])
  assert.equal(layered.get('output', 'a_out')?.name, 'a_out')
  assert.deepEqual(layered.names('processor'), ['a_proc', 'b_proc', 'tpl', 'x_extra'])
})

test('a lazy registry refuses duplicates and a loader that loads another component', async () => {
  const l = { kind: 'processor' as const, name: 'a', load: () => Promise.resolve({ default: spec('processor', 'b') }) }
  assert.throws(() => lazyRegistry([l, l]), /duplicate processor component 'a'/)
  assert.throws(() => lazyRegistry([l], [spec('processor', 'a')]), /duplicate processor component 'a'/)
  await assert.rejects(lazyRegistry([l]).load('processor', ['a']), /component loader for processor 'a' loaded processor 'b'/)
})

test('the build bundles the stream worker, and a started stream leaves a code cache beside it', async (t) => {
  const workers = fileURLToPath(new URL('../../workers/', import.meta.url))
  assert.ok(existsSync(join(workers, 'stream.bundle.cjs')), 'npm run build writes dist/workers/stream.bundle.cjs')
  const h = await startHost(t, { files: { 'a.yaml': 'input:\n  generate:\n    interval: 1h\n    mapping: root = 1\noutput:\n  drop: {}\n' } })
  await h.until('stream a running', async () => (await h.json<Record<string, { state: string }>>('/streams')).body.a?.state === 'running', 60_000)
  // Written by the first thread that became ready without one (or by an earlier run of the suite).
  await h.until('a code cache file', () => existsSync(join(workers, '.code-cache')), 60_000)
})

test('the yaml chunk loads in stream threads for templates and parse_yaml, and gets a code cache of its own', async (t) => {
  const workers = fileURLToPath(new URL('../../workers/', import.meta.url))
  assert.ok(existsSync(join(workers, 'yaml.bundle.cjs')), 'npm run build writes dist/workers/yaml.bundle.cjs')
  const template = 'name: shout\ntype: processor\nfields: []\nmapping: |\n  root.mapping = "root = content().uppercase()"\n'
  const stream = 'input:\n  http_server:\n    path: /y\npipeline:\n  processors:\n    - mapping: root = content().parse_yaml()\n    - shout: {}\noutput:\n  sync_response: {}\n'
  const h = await startHost(t, { files: { 'tpl/shout.yaml': template, 'streams/y.yaml': stream }, args: ['-t', '{dir}/tpl/shout.yaml', '{dir}/streams'] })
  const answer = await h.until('the stream to answer', async () => {
    const r = await h.text('/y/y', { method: 'POST', body: 'name: ada\nlangs: [go, js]\n' })
    return r.status === 200 ? r.body : undefined
  }, 60_000)
  assert.equal(answer, '{"LANGS":["GO","JS"],"NAME":"ADA"}')
  // Written by the thread that compiled the chunk without one (or by an earlier run of the suite).
  await h.until('a code cache of the yaml chunk', () => existsSync(join(workers, '.code-cache')) && readdirSync(join(workers, '.code-cache')).some((f) => /^yaml\..*\.v8cache$/.test(f)), 60_000)
})

const TYPO = 'input:\n  generate:\n    interval: 1h\n    mapping: root = 1\npipeline:\n  processors:\n    - mappin: root = this\noutput:\n  drop: {}\n'

test('an unknown component name gets the located error and suggestion, from a file and from the API', async (t) => {
  const h = await startHost(t, { files: { 'typo.yaml': TYPO } })
  type Listed = Record<string, { state: string; last_error: Record<string, unknown> | null }>
  const failed = await h.until('typo failed', async () => {
    const s = (await h.json<Listed>('/streams')).body.typo
    return s?.state === 'failed' ? s : undefined
  }, 60_000)
  assert.deepEqual({ ...failed.last_error, at: undefined }, {
    at: undefined,
    code: 'CONFIG_UNKNOWN_COMPONENT',
    line: 7,
    column: 7,
    hint: 'did you mean `mapping`?',
    message: 'unable to infer processor type from candidates: [mappin]',
    path: 'pipeline.processors[0]',
  })
  await h.until('the error logged with file, position, path and suggestion', () =>
    h.stderr().includes(`failed to create stream typo: ${join(h.dir, 'typo.yaml')}(7,7) unable to infer processor type from candidates: [mappin] [pipeline.processors[0]] (did you mean \`mapping\`?)`) ||
    h.stdout().includes(`failed to create stream typo: ${join(h.dir, 'typo.yaml')}(7,7) unable to infer processor type from candidates: [mappin] [pipeline.processors[0]] (did you mean \`mapping\`?)`),
  )

  const api = await h.text('/streams/fromapi', { method: 'POST', body: TYPO })
  assert.equal(api.status, 400)
  assert.match(api.body, /unable to infer processor type from candidates: \[mappin\]/)
  assert.equal((await h.json<Listed>('/streams')).body.fromapi, undefined)
})

test('a stream of lazily loaded components (nested ones included) runs end to end', async (t) => {
  const h = await startHost(t, {
    files: {
      'lazy.yaml': [
        'input:',
        '  generate:',
        '    count: 3',
        '    interval: ""',
        '    mapping: root = "line " + counter().string()',
        'pipeline:',
        '  processors:',
        '    - switch:',
        '        - check: content() == "line 2"',
        '          processors:',
        '            - bloblang: root = content().uppercase()',
        '    - dedupe:',
        '        cache: seen',
        '        key: ${! content() }',
        'output:',
        '  file:',
        '    path: ./out.txt',
        '    codec: lines',
        '',
      ].join('\n'),
      'resources.yaml': 'cache_resources:\n  - label: seen\n    memory: {}\n',
    },
    args: ['-r', '{dir}/resources.yaml', '{dir}/lazy.yaml'],
  })
  assert.equal(await outputLines(h, 3), 'line 1\nLINE 2\nline 3\n')
})

test('a stream thread reaches YAML through the bundle (yaml is evaluated there on first use)', async (t) => {
  const h = await startHost(t, {
    files: {
      'y.yaml': [
        'input:',
        '  generate:',
        '    count: 1',
        '    interval: ""',
        `    mapping: 'root = "a: [1, 2]\\nb: x\\n"'`,
        'pipeline:',
        '  processors:',
        '    - mapping: |',
        '        root.doc = content().parse_yaml()',
        '        root.back = {"k": [1, "two"]}.format_yaml().string()',
        'output:',
        '  file:',
        '    path: ./out.txt',
        '    codec: lines',
        '',
      ].join('\n'),
    },
  })
  assert.equal(await outputLines(h, 1), '{"back":"k:\\n    - 1\\n    - two\\n","doc":{"a":[1,2],"b":"x"}}\n')
})

/** The stream's `out.txt` once it holds `n` whole lines. */
function outputLines(h: RunningHost, n: number): Promise<string> {
  const out = join(h.dir, 'out.txt')
  return h.until(`${n} line(s) written to out.txt`, () => {
    const text = existsSync(out) ? readFileSync(out, 'utf8') : ''
    return text.split('\n').length === n + 1 && text.endsWith('\n') ? text : undefined
  }, 60_000)
}
