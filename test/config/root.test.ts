import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { loadRootConfig, metricsExporter, type RootConfig } from '../../src/config/root.js'
import { checkResourceLabels, loadResourceFile } from '../../src/config/resources.js'
import { renderLintCompat } from '../../src/config/lint.js'
import { lookup, tempDir, writeTree } from './fixtures.js'

const noEnv = (): string | undefined => undefined

const DEFAULTS: RootConfig = {
  http: {
    enabled: true,
    address: '0.0.0.0:4195',
    root_path: '/benthos',
    debug_endpoints: false,
    cert_file: '',
    key_file: '',
    cors: { enabled: false, allowed_origins: [] },
    basic_auth: { enabled: false, realm: 'restricted', username: '', password_hash: '', algorithm: 'sha256', salt: '' },
  },
  logger: {
    level: 'INFO',
    format: 'logfmt',
    add_timestamp: true,
    level_name: 'level',
    timestamp_name: 'time',
    message_name: 'msg',
    static_fields: { '@service': 'benthos' },
    file: { path: '', rotate: false, rotate_max_age_days: 0 },
  },
  metrics: {
    mapping: '',
    prometheus: {
      use_histogram_timing: false,
      histogram_buckets: [],
      summary_quantiles_objectives: [
        { quantile: 0.5, error: 0.05 },
        { quantile: 0.9, error: 0.01 },
        { quantile: 0.99, error: 0.001 },
      ],
      add_process_metrics: false,
      add_go_metrics: false,
      push_job_name: 'benthos_push',
      push_basic_auth: { username: '', password: '' },
      file_output_path: '',
    },
  },
  tracer: { none: {} },
  shutdown_delay: '0s',
  shutdown_timeout: '20s',
  error_handling: { strict: false },
  input_resources: [],
  processor_resources: [],
  output_resources: [],
  cache_resources: [],
  rate_limit_resources: [],
  tests: [],
}

test('no root file: every default, no findings', () => {
  const r = loadRootConfig({ sets: [], env: noEnv, lookup, defaultPaths: [] })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.config, DEFAULTS)
  assert.deepEqual(r.findings, [])
  assert.equal(r.fromDefaultPath, false)
  assert.equal(metricsExporter(r.config), 'prometheus')
})

test('a root file with env vars, overrides and partial sections', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'root.yaml': `http:
  address: \${ADDR:0.0.0.0:1234}
  cors:
    enabled: true
logger:
  level: debug
  static_fields:
    team: \${TEAM}
metrics:
  mapping: 'root = this'
  json_api: {}
cache_resources:
  - label: c1
    memory: {}
shutdown_timeout: 5s
weir:
  heap_limit_mb: 256
`,
  })
  const r = loadRootConfig({
    file: join(dir, 'root.yaml'),
    sets: ['http.debug_endpoints=true', 'logger.format=json', 'error_handling.strict=true'],
    env: (n) => (n === 'TEAM' ? 'core' : undefined),
    lookup,
  })
  assert.ok(r.ok, JSON.stringify(r))
  if (!r.ok) return
  assert.deepEqual(r.findings, [])
  assert.equal(r.file, join(dir, 'root.yaml'))
  assert.deepEqual(r.config.http, { ...DEFAULTS.http, address: '0.0.0.0:1234', debug_endpoints: true, cors: { enabled: true, allowed_origins: [] } })
  assert.deepEqual(r.config.logger, { ...DEFAULTS.logger, level: 'debug', format: 'json', static_fields: { team: 'core' } })
  assert.deepEqual(r.config.metrics, { mapping: 'root = this', json_api: {} })
  assert.equal(metricsExporter(r.config), 'json_api')
  assert.deepEqual(r.config.cache_resources, [{ label: 'c1', memory: {} }])
  assert.equal(r.config.shutdown_timeout, '5s')
  assert.deepEqual(r.config.error_handling, { strict: true })
  assert.deepEqual(r.config.weir, { heap_limit_mb: 256 })
})

test('root lint findings point into the file, --set values included', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'root.yaml': 'input:\n  stdin: {}\nhttp:\n  address: ${MISSING}\n' })
  const r = loadRootConfig({ file: join(dir, 'root.yaml'), sets: ['http.nope=1', 'logger.format=yaml'], env: noEnv, lookup })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.findings.map(renderLintCompat), [
    '(1,1) required environment variables were not set: [MISSING]',
    '(1,1) field input not recognised',
    '(4,1) field nope not recognised',
    '(1,1) value yaml is not a valid option for this field',
  ])
})

test('fatal root problems are errors', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'bad.yaml': 'http: [\n',
    'fn.yaml': 'a: ${X|rot13}\n',
    'metrics.yaml': 'metrics:\n  bogus: {}\n',
    'clash.yaml': 'cache_resources:\n  - label: a\n    memory: {}\nrate_limit_resources:\n  - label: a\n    local: {}\n',
  })
  const err = (file: string, sets: string[] = []): unknown => {
    const r = loadRootConfig({ file: join(dir, file), sets, env: noEnv, lookup })
    return r.ok ? 'ok' : [r.error.code, r.error.message]
  }
  assert.equal((err('bad.yaml') as string[])[0], 'CONFIG_YAML')
  assert.deepEqual(err('fn.yaml'), ['CONFIG_INVALID', 'unknown env var decode function: rot13'])
  assert.deepEqual(err('metrics.yaml'), ['CONFIG_UNKNOWN_COMPONENT', 'unable to infer metrics type from candidates: [bogus]'])
  assert.deepEqual(err('clash.yaml'), ['CONFIG_INVALID', "rate limit resource label 'a' collides with a previously defined resource"])
  assert.deepEqual(err('missing.yaml'), ['CONFIG_READ', `open ${join(dir, 'missing.yaml')}: no such file or directory`])
  assert.deepEqual(err('fn.yaml', ['nonsense']), ['CONFIG_INVALID', 'unknown env var decode function: rot13'])
  const r = loadRootConfig({ sets: ['nonsense'], env: noEnv, lookup, defaultPaths: [] })
  assert.deepEqual(r.ok ? 'ok' : r.error.message, "invalid set expression 'nonsense': expected foo=bar syntax")
})

test('the first existing default path is used', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'second.yaml': 'shutdown_delay: 1s\n' })
  const r = loadRootConfig({ sets: [], env: noEnv, lookup, defaultPaths: [join(dir, 'first.yaml'), join(dir, 'second.yaml')] })
  assert.ok(r.ok && r.fromDefaultPath && r.file === join(dir, 'second.yaml') && r.config.shutdown_delay === '1s')
})

test('lint is skipped for files starting with the disable marker', (t) => {
  const dir = tempDir(t)
  writeTree(dir, { 'root.yaml': '# BENTHOS LINT DISABLE\ninput:\n  stdin: {}\n' })
  const r = loadRootConfig({ file: join(dir, 'root.yaml'), sets: [], env: noEnv, lookup })
  assert.ok(r.ok && r.findings.length === 0)
})

test('resource files: lists, findings and label rules', (t) => {
  const dir = tempDir(t)
  writeTree(dir, {
    'res.yaml': 'cache_resources:\n  - label: users\n    memory:\n      default_ttl: 10m\n      bad: 1\nhttp: {}\n',
    'dup.yaml': 'processor_resources:\n  - label: p\n    noop: {}\n  - label: p\n    noop: {}\n',
    'empty.yaml': 'output_resources:\n  - drop: {}\n',
  })
  const r = loadResourceFile(join(dir, 'res.yaml'), { env: noEnv, lookup })
  assert.ok(r.ok)
  if (!r.ok) return
  assert.deepEqual(r.config, {
    input_resources: [],
    processor_resources: [],
    output_resources: [],
    cache_resources: [{ label: 'users', memory: { default_ttl: '10m', bad: 1 } }],
    rate_limit_resources: [],
    tests: [],
  })
  assert.deepEqual(r.findings.map(renderLintCompat), ['(5,1) field bad not recognised', '(6,1) field http not recognised'])

  const dup = loadResourceFile(join(dir, 'dup.yaml'), { env: noEnv, lookup })
  assert.deepEqual(dup.ok ? 'ok' : [dup.error.message, dup.error.file], ["processor resource label 'p' collides with a previously defined resource", join(dir, 'dup.yaml')])
  const empty = loadResourceFile(join(dir, 'empty.yaml'), { env: noEnv, lookup })
  assert.deepEqual(empty.ok ? 'ok' : empty.error.message, 'output resource has an empty label')

  // Across sources: the root config first, then each file.
  const clash = checkResourceLabels([{ cache_resources: [{ label: 'x' }] }, { input_resources: [{ label: 'x' }] }])
  assert.equal(clash?.message, "cache resource label 'x' collides with a previously defined resource")
})
