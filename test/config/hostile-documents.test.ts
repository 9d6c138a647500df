/**
 * Deep, aliased and huge YAML/JSON documents in every place a config comes from (API bodies,
 * stream files, `-r` resources, templates): refused with a located error, the host and the other
 * streams unharmed.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { startHost, runCli, tempDir } from '../helpers/cli-host.js'
import { parseYamlText } from '../../src/config/yaml.js'

const GEN = 'input:\n  generate:\n    interval: 1h\n    mapping: root = "x"\noutput:\n  drop: {}\n'
const deepBlock = (n: number): string => 'input:\n  generate:\n    mapping: root = 1\n    nested:\n      ' + '- '.repeat(n) + 'x\noutput:\n  drop: {}\n'
const deepJson = (n: number): string => '{"input": {"generate": {"mapping": "root = 1", "x": ' + '['.repeat(n) + ']'.repeat(n) + '}}, "output": {"drop": {}}}'
function aliasBomb(): string {
  let s = 'input:\n  generate:\n    mapping: root = 1\nl0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
  for (let i = 1; i < 9; i++) s += `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]\n`
  return s + 'output:\n  drop: {}\n'
}

test('the parser refuses 10,000-deep YAML and JSON, alias bombs and huge texts, with positions', () => {
  const deep = parseYamlText(deepBlock(10_000))
  assert.equal(deep.ok, false)
  assert.deepEqual(!deep.ok && [deep.error.code, deep.error.message, deep.error.line], ['CONFIG_LIMIT', 'config nests deeper than 256 levels', 5])
  const json = parseYamlText(deepJson(10_000))
  assert.deepEqual(!json.ok && [json.error.code, json.error.line], ['CONFIG_LIMIT', 1])
  const bomb = parseYamlText(aliasBomb())
  assert.deepEqual(!bomb.ok && bomb.error.code, 'CONFIG_LIMIT')
  assert.match(!bomb.ok ? bomb.error.message : '', /expands aliases more than 100 times/)
  const huge = parseYamlText('a: "' + 'x'.repeat(5 * 1024 * 1024) + '"\n')
  assert.match(!huge.ok ? huge.error.message : '', /more than the 4 MiB Weir accepts/)
  let many = ''
  for (let i = 0; i < 100_000; i++) many += `k${i}: 1\n`
  const wide = parseYamlText(many)
  assert.deepEqual(!wide.ok && [wide.error.code, wide.error.message], ['CONFIG_LIMIT', 'config has more than 200000 YAML tokens'])
  // Within the bounds, nothing changes.
  assert.equal(parseYamlText(deepBlock(250)).ok, true)
  const dup = parseYamlText('a: 1\nb: 2\na: 3\n')
  assert.deepEqual(!dup.ok && [dup.error.message, dup.error.line, dup.error.col], ['Map keys must be unique', 3, 1])
})

test('hostile API bodies are refused with a located 400 and the host keeps serving', async (t) => {
  const h = await startHost(t, { files: { 'gen.yaml': GEN } })
  await h.until('gen to run', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running')
  for (const [name, body] of [
    ['deep-yaml', deepBlock(10_000)],
    ['deep-json', deepJson(10_000)],
    ['bomb', aliasBomb()],
  ] as const) {
    for (const [method, path] of [
      ['POST', `/streams/${name}`],
      ['PUT', '/streams/gen'],
      ['PATCH', '/streams/gen'],
      ['POST', '/streams'],
      ['POST', `/resources/processor/${name.replace('-', '_')}`],
    ] as const) {
      const r = await h.text(path, { method, body })
      assert.equal(r.status, 400, `${method} ${path} ${name}: ${r.body}`)
      assert.match(r.body, /^Error: config (nests deeper than 256 levels|expands aliases more than 100 times).* \(line \d+, column \d+\)\n$/, `${method} ${path} ${name}`)
    }
  }
  assert.deepEqual(Object.keys((await h.json<Record<string, unknown>>('/streams')).body), ['gen'])
  assert.equal((await h.json<{ state: string }>('/streams/gen')).body.state, 'running')
})

test('hostile stream files fail alone with the file named; the others run', async (t) => {
  const h = await startHost(t, {
    files: { 's/gen.yaml': GEN, 's/deep.yaml': deepBlock(10_000), 's/bomb.yaml': aliasBomb(), 's/huge.yaml': 'a: "' + 'x'.repeat(5 * 1024 * 1024) + '"\n' },
    args: ['{dir}/s'],
  })
  await h.until('gen to run', async () => (await h.json<{ state: string }>('/streams/gen')).body.state === 'running')
  const out = (): string => h.stdout() + h.stderr()
  await h.until('all three refusals logged', () => /deep\.yaml/.test(out()) && /bomb\.yaml/.test(out()) && /huge\.yaml/.test(out()))
  assert.match(out(), /deep\.yaml[^\n]*nests deeper than 256 levels/)
  assert.match(out(), /bomb\.yaml[^\n]*expands aliases/)
  assert.match(out(), /huge\.yaml[^\n]*more than the 4 MiB Weir accepts/)
  assert.equal((await h.text('/ping')).body, 'pong')
})

test('a hostile -r resource file or template stops start-up with the file and limit named', async (t) => {
  const dir = tempDir(t)
  writeFileSync(join(dir, 'res.yaml'), 'processor_resources:\n  - label: p\n    mapping: root = 1\n    x: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n')
  const r = await runCli(['streams', '--set', 'http.address=127.0.0.1:0', '-r', join(dir, 'res.yaml')], { cwd: dir })
  assert.equal(r.code, 1)
  assert.match(r.stdout + r.stderr, new RegExp(`${join(dir, 'res.yaml').replaceAll('/', '\\/')}.*nests deeper than 256 levels`))
  writeFileSync(join(dir, 'tpl.yaml'), 'name: t\ntype: processor\nmapping: |\n  root = 1\nbomb:\n  ' + '- '.repeat(10_000) + 'x\n')
  const tpl = await runCli(['streams', '--set', 'http.address=127.0.0.1:0', '-t', join(dir, 'tpl.yaml')], { cwd: dir })
  assert.equal(tpl.code, 1)
  assert.match(tpl.stdout + tpl.stderr, /tpl\.yaml.*nests deeper than 256 levels/)
})
