/**
 * A small registry of component specs for config tests (registries are instances, so tests build
 * their own) and temp-dir helpers.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { f, ofKind, type ComponentKind, type ComponentSpec, type FieldSpec, type SpecLookup } from '../../src/spec/index.js'
import type { BloblangChecker } from '../../src/config/lint.js'

function spec(kind: ComponentKind, name: string, config: FieldSpec, extra: Partial<ComponentSpec> = {}): ComponentSpec {
  return {
    kind,
    name,
    config,
    build: () => {
      throw new Error('not buildable in config tests')
    },
    ...extra,
  }
}

export const TEST_SPECS: readonly ComponentSpec[] = [
  spec('input', 'generate', f.object('', [f.bloblang('mapping'), f.string('interval', { default: '1s' }), f.int('count', { default: 0 })])),
  spec('input', 'stdin', f.object('', [f.string('codec', { default: 'lines' })])),
  spec('input', 'http_server', f.object('', [f.string('path', { default: '/post' }), f.string('timeout', { default: '5s' }), f.array(f.string('allowed_verbs', { default: ['POST'] }))])),
  spec('input', 'broker', f.object('', [f.array(f.component('inputs', 'input', { default: [] })), f.int('copies', { default: 1 })])),
  spec('input', 'resource', f.string('')),
  spec('input', 'old_thing', f.object('', []), { status: 'deprecated' }),
  spec('buffer', 'none', f.object('', [])),
  spec('buffer', 'memory', f.object('', [f.int('limit', { default: 524288000 })])),
  spec('processor', 'mapping', f.bloblang('')),
  spec('processor', 'log', f.object('', [f.string('level', { default: 'INFO', options: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] }), f.interp('message', { default: '' })])),
  spec('processor', 'catch', f.array(f.component('', 'processor'))),
  spec('processor', 'switch', f.array(f.object('', [f.bloblang('check', { default: '' }), f.array(f.component('processors', 'processor', { default: [] }))]))),
  spec('processor', 'resource', f.string('')),
  spec('processor', 'noop', f.object('', [])),
  spec('output', 'drop', f.object('', [])),
  spec('output', 'stdout', f.object('', [f.string('codec', { default: 'lines' })])),
  spec('output', 'reject', f.string('')),
  spec('output', 'http_client', f.object('', [f.string('url'), f.string('verb', { default: 'POST' }), f.object('tls', [f.bool('enabled', { default: false }), f.string('root_cas', { default: '' })]), f.string('oauth_token', { deprecated: true })])),
  spec('cache', 'memory', f.object('', [f.string('default_ttl', { default: '5m' }), f.map(f.string('init_values', { default: {} }))])),
  spec('rate_limit', 'local', f.object('', [f.int('count', { default: 1000 }), f.string('interval', { default: '1s' })])),
]

export function lookupOf(specs: readonly ComponentSpec[] = TEST_SPECS): SpecLookup {
  return {
    get: (kind, name) => ofKind(specs.find((s) => s.kind === kind && s.name === name), kind),
    names: (kind) => specs.filter((s) => s.kind === kind).map((s) => s.name),
  }
}

export const lookup = lookupOf()

/**
 * A stand-in Bloblang compiler with a fixed rule, so lint position arithmetic is tested without
 * depending on the real parser's messages: the first `#` in a mapping is an error, and `${! }`
 * with nothing inside is an empty interpolation.
 */
export const fakeBloblang: BloblangChecker = {
  mapping(src) {
    const lines = src.split('\n')
    for (let i = 0; i < lines.length; i++) {
      const c = lines[i]!.indexOf('#')
      if (c !== -1) return { message: `expected query, got: ${lines[i]!.slice(c, c + 5)}`, line: i + 1, col: c + 1 }
    }
    return undefined
  },
  interpolation(src) {
    const at = src.indexOf('${! }')
    return at === -1 ? undefined : { message: 'required: expected query, got: }', line: 1, col: at + 5 }
  },
}

/** A fresh temp directory removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-config-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Writes `files` (relative path → content) under `dir`, creating directories. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel)
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, content)
  }
}
