/**
 * The contract suites' table: a minimal runnable config for every registered component, keyed
 * `kind/name`. A component of the default registry with neither an entry here nor an exemption
 * (with its reason) fails its kind's suite, so adding a component means adding one line here.
 *
 *   'output/my_thing': output({ my_thing: { url: `${env.url}/ok` } }, { my_thing: { url: `${env.url}/fail` } }, /500/),
 */
import { writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'

/** What a config may use: a temp dir of its own and a real loopback HTTP server. */
export interface ContractEnv {
  dir: string
  /** `http://127.0.0.1:port`; `/ok` answers 200, `/fail` answers 500 with body `contract failure`. */
  url: string
  /** Base URL of the stream's own endpoints (`http_server` paths), prefix included. */
  streamBase: string
}

type Raw = Record<string, unknown> | unknown[]
type Make = (env: ContractEnv) => Raw

export interface InputCase {
  kind: 'input'
  config: Make
  /**
   * For inputs that are handed data: sends one message with `text` and resolves with what the
   * sender was told (`ok`, or the nack text). Others produce messages on their own.
   */
  deliver?: (env: ContractEnv, text: string) => Promise<string>
  /** How a nack reaches the source: the same message comes again, or the sender is answered with the error. */
  nack: 'replayed' | 'answered'
}

export interface ProcessorCase {
  kind: 'processor'
  config: Make
  /** A config under which the component flags the contract message as failed (absent: it never flags). */
  flagging?: Make
  /** The contract message's content, for processors that read it as JSON (default `contract`). */
  content?: string
  /** What the flag says, for processors whose failure text is fixed (default /contract failure/). */
  flagged?: RegExp
}

export interface OutputCase {
  kind: 'output'
  /** A config that acknowledges a write, or a reason why it never does. */
  config: Make | { never: string }
  /** A config that nacks a write, and the nack text it gives (absent: `why`, it cannot fail). */
  failing: { config: Make; error: RegExp } | { never: string }
}

export type ContractCase = InputCase | ProcessorCase | OutputCase

const input = (config: Make, nack: InputCase['nack'] = 'replayed', deliver?: InputCase['deliver']): InputCase => ({ kind: 'input', config, nack, ...(deliver ? { deliver } : {}) })
const processor = (config: Make, flagging?: Make, content?: string, flagged?: RegExp): ProcessorCase => ({
  kind: 'processor',
  config,
  ...(flagging ? { flagging } : {}),
  ...(content !== undefined ? { content } : {}),
  ...(flagged ? { flagged } : {}),
})
const output = (config: OutputCase['config'], failing: OutputCase['failing']): OutputCase => ({ kind: 'output', config, failing })
const fixed =
  (raw: Raw): Make =>
  () =>
    raw

/** A generator whose messages differ (`<prefix>1`, `<prefix>2`...), so a replay is visible. */
const counting = (prefix: string): Raw => ({ generate: { interval: '', mapping: `root = "${prefix}" + counter().string()` } })
const fails = (config: Raw, error: RegExp): OutputCase['failing'] => ({ config: fixed(config), error })

/**
 * A Unix socket server in the case's dir, for the socket components; `serve` handles each
 * connection. Unreferenced, so it never holds the test process open; the dir goes with the test.
 */
function unixServer(env: ContractEnv, name: string, serve: (s: import('node:net').Socket) => void): string {
  const path = join(env.dir, name)
  // A case's config may be made more than once in one test (and one dir).
  if (listening.has(path)) return path
  listening.add(path)
  createServer((s) => {
    s.on('error', () => {})
    serve(s)
  })
    .listen(path)
    .unref()
  return path
}

const listening = new Set<string>()

/**
 * A WebSocket server on a Unix socket in the case's dir (`ws+unix:` URLs, which the ws client
 * dials), unreferenced like `unixServer`.
 */
function wsUnixServer(env: ContractEnv, name: string, onConn: (ws: import('ws').WebSocket) => void): string {
  const path = join(env.dir, name)
  if (!listening.has(path)) {
    listening.add(path)
    const server = createHttpServer()
    new WebSocketServer({ server }).on('connection', onConn)
    server.listen(path).unref()
  }
  return `ws+unix://${path}:/contract`
}

let served = 0

/** Resources every contract stream can name (`contract_cache`, `contract_rl`, ...). */
export const CONTRACT_RESOURCES = {
  cache: { contract_cache: { memory: {} } },
  rate_limit: { contract_rl: { local: { count: 1000000, interval: '1s' } } },
  processor: { contract_proc: { mapping: 'root = content().uppercase()' } },
  input: { contract_in: counting('ri') },
  output: { contract_out: { drop: {} } },
}

export const CASES: Readonly<Record<string, ContractCase>> = {
  // inputs
  'input/generate': input(fixed(counting('g'))),
  'input/file': input((env) => {
    const path = join(env.dir, 'contract-input.txt')
    writeFileSync(path, 'f1\nf2\nf3\n')
    return { file: { paths: [path] } }
  }),
  'input/csv': input((env) => {
    const path = join(env.dir, 'contract-input.csv')
    writeFileSync(path, 'n\n' + Array.from({ length: 50 }, (_, i) => `c${i}\n`).join(''))
    return { csv: { paths: [path] } }
  }),
  'input/http_server': input(fixed({ http_server: { path: '/contract' } }), 'answered', async (env, text) => {
    const r = await fetch(`${env.streamBase}/contract`, { method: 'POST', body: text })
    const body = await r.text()
    return r.status === 200 ? 'ok' : `${r.status} ${body}`
  }),
  'input/broker': input(fixed({ broker: { inputs: [counting('a'), counting('b')] } })),
  'input/sequence': input(fixed({ sequence: { inputs: [{ generate: { count: 1, interval: '', mapping: 'root = "first"' } }, counting('s')] } })),
  'input/read_until': input(fixed({ read_until: { check: 'false', input: counting('r') } })),
  'input/batched': input(fixed({ batched: { child: counting('b'), policy: { count: 1, period: '10ms' } } })),
  'input/resource': input(fixed({ resource: 'contract_in' })),
  'input/http_client': input((env) => ({ http_client: { url: `${env.url}/ok`, verb: 'GET' } })),
  'input/socket_server': input(
    (env) => ({ socket_server: { network: 'unix', address: join(env.dir, 'contract-in.sock') } }),
    'replayed',
    (env, text) =>
      new Promise((resolve, reject) => {
        const c = connect(join(env.dir, 'contract-in.sock'), () => c.end(`${text}\n`, () => resolve('ok')))
        c.on('error', reject)
      }),
  ),
  'input/subprocess': input(fixed({ subprocess: { name: 'sh', args: ['-c', 'i=0; while true; do i=$((i+1)); echo p$i; sleep 0.01; done'] } })),
  'input/websocket': input((env) => ({
    websocket: {
      url: wsUnixServer(env, 'contract-ws-in.sock', (ws) => {
        const t = setInterval(() => ws.send(`w${++served}`), 10)
        ws.on('close', () => clearInterval(t))
      }),
    },
  })),
  'input/socket': input((env) => ({ socket: { network: 'unix', address: unixServer(env, 'contract-up.sock', (s) => s.end(`s${++served}\n`)) } })),

  // processors
  'processor/mapping': processor(fixed({ mapping: 'root = content().uppercase()' }), fixed({ mapping: 'root = throw("contract failure")' })),
  'processor/mutation': processor(fixed({ mutation: 'root = content().uppercase()' }), fixed({ mutation: 'root = throw("contract failure")' })),
  'processor/bloblang': processor(fixed({ bloblang: 'root = content()' }), fixed({ bloblang: 'root = throw("contract failure")' })),
  'processor/log': processor(fixed({ log: { level: 'DEBUG', message: 'contract ${! content() }' } })),
  'processor/noop': processor(fixed({ noop: {} })),
  'processor/sync_response': processor(fixed({ sync_response: {} })),
  'processor/sleep': processor(fixed({ sleep: { duration: '1ms' } })),
  'processor/try': processor(fixed({ try: [{ mapping: 'root = content()' }] })),
  'processor/catch': processor(fixed({ catch: [{ mapping: 'root = content()' }] })),
  'processor/try_catch': processor(fixed({ try_catch: { processors: [{ mapping: 'root = content()' }], catch: [{ noop: {} }] } })),
  'processor/switch': processor(fixed({ switch: [{ check: 'true', processors: [{ noop: {} }] }] })),
  'processor/for_each': processor(fixed({ for_each: [{ noop: {} }] })),
  'processor/processors': processor(fixed({ processors: [{ noop: {} }] })),
  'processor/while': processor(fixed({ while: { check: 'false', processors: [{ noop: {} }] } })),
  'processor/retry': processor(fixed({ retry: { processors: [{ noop: {} }] } })),
  'processor/parallel': processor(fixed({ parallel: { processors: [{ noop: {} }] } })),
  'processor/branch': processor(
    fixed({ branch: { request_map: 'root = content()', processors: [{ noop: {} }], result_map: 'root.branched = content()' } }),
  ),
  'processor/workflow': processor(fixed({ workflow: { meta_path: '', order: [['a']], branches: { a: { request_map: 'root = content()', processors: [{ noop: {} }] } } } })),
  'processor/resource': processor(fixed({ resource: 'contract_proc' })),
  'processor/cache': processor(fixed({ cache: { resource: 'contract_cache', operator: 'set', key: 'k', value: '${! content() }' } })),
  'processor/cached': processor(fixed({ cached: { cache: 'contract_cache', key: 'k-${! content() }', processors: [{ noop: {} }] } })),
  'processor/rate_limit': processor(fixed({ rate_limit: { resource: 'contract_rl' } })),
  'processor/http': processor((env) => ({ http: { url: `${env.url}/ok` } })),
  'processor/split': processor(fixed({ split: { size: 1 } })),
  'processor/select_parts': processor(fixed({ select_parts: { parts: [0] } })),
  'processor/insert_part': processor(fixed({ insert_part: { content: 'extra' } })),
  'processor/bounds_check': processor(fixed({ bounds_check: {} })),
  'processor/command': processor(fixed({ command: { name: 'cat' } }), fixed({ command: { name: 'sh', args_mapping: '["-c", "echo contract failure >&2; exit 1"]' } })),
  'processor/subprocess': processor(fixed({ subprocess: { name: 'cat' } }), fixed({ subprocess: { name: 'sh', args: ['-c', 'while read l; do echo contract failure >&2; done'] } })),
  'processor/grok': processor(fixed({ grok: { expressions: ['%{WORD:w}'] } }), fixed({ grok: { expressions: ['%{INT:n}'] } }), undefined, /^no pattern matches found$/),
  'processor/jmespath': processor(fixed({ jmespath: { query: '@' } }), fixed({ jmespath: { query: 'abs(@)' } }), '"contract"', /abs\(\) expected argument 1 to be type number/),
  'processor/json_schema': processor(fixed({ json_schema: { schema: '{"type":"string"}' } }), fixed({ json_schema: { schema: '{"enum":["contract failure"]}' } }), '"contract"'),
  'processor/group_by': processor(fixed({ group_by: [{ check: 'true' }] })),
  'processor/group_by_value': processor(fixed({ group_by_value: { value: '${! content() }' } })),
  'processor/dedupe': processor(fixed({ dedupe: { cache: 'contract_cache', key: 'd-${! uuid_v4() }' } })),
  'processor/metric': processor(fixed({ metric: { type: 'counter', name: 'contract_total' } })),
  'processor/benchmark': processor(fixed({ benchmark: { interval: '1h' } })),
  'processor/archive': processor(fixed({ archive: { format: 'lines' } })),
  'processor/unarchive': processor(fixed({ unarchive: { format: 'lines' } })),
  'processor/compress': processor(fixed({ compress: { algorithm: 'gzip' } })),

  // outputs
  'output/drop': output(fixed({ drop: {} }), { never: 'drops everything' }),
  'output/sync_response': output(
    { never: 'acks only messages that came with a request (http_server); covered by test/components/http-server' },
    fails({ sync_response: {} }, /^result store not found within batch context$/),
  ),
  'output/file': output(
    (env) => ({ file: { path: join(env.dir, 'out', 'contract.txt') } }),
    {
      config: (env) => {
        writeFileSync(join(env.dir, 'blocker'), 'a file, not a directory')
        return { file: { path: join(env.dir, 'blocker', 'contract.txt') } }
      },
      error: /EEXIST|ENOTDIR/,
    },
  ),
  'output/http_client': output((env) => ({ http_client: { url: `${env.url}/ok` } }), {
    config: (env) => ({ http_client: { url: `${env.url}/fail`, retries: 0 } }),
    error: /unexpected response code \(500\)/,
  }),
  'output/broker': output(fixed({ broker: { outputs: [{ drop: {} }, { drop: {} }] } }), fails({ broker: { pattern: 'fan_out_fail_fast', outputs: [{ drop: {} }, { reject: 'contract nack' }] } }, /^contract nack$/)),
  'output/switch': output(
    fixed({ switch: { cases: [{ check: 'content() == "nothing"', output: { reject: 'unreached' } }, { output: { drop: {} } }] } }),
    fails({ switch: { cases: [{ output: { reject: 'contract nack' } }, { output: { drop: {} } }] } }, /^contract nack$/),
  ),
  'output/fallback': output(fixed({ fallback: [{ reject: 'first' }, { drop: {} }] }), fails({ fallback: [{ reject: 'first' }, { reject: 'contract nack' }] }, /^contract nack$/)),
  'output/retry': output(
    fixed({ retry: { output: { drop: {} } } }),
    fails({ retry: { max_retries: 1, backoff: { initial_interval: '1ms', max_interval: '2ms' }, output: { reject: 'x' } } }, /^message failed to reach a target destination$/),
  ),
  'output/reject': output({ never: 'rejects every write by design' }, fails({ reject: 'contract nack ${! content() }' }, /^contract nack /)),
  'output/reject_errored': output(fixed({ reject_errored: { drop: {} } }), fails({ reject_errored: { reject: 'contract nack' } }, /^contract nack$/)),
  'output/resource': output(fixed({ resource: 'contract_out' }), { never: 'the contract_out resource drops everything' }),
  'output/cache': output(fixed({ cache: { target: 'contract_cache', key: '${! content() }' } }), { never: 'a memory cache accepts every set' }),
  'output/socket': output((env) => ({ socket: { network: 'unix', address: unixServer(env, 'contract-out.sock', (s) => s.resume()) } }), {
    never: 'a write fails only when the peer goes away mid-write; covered by test/components/socket',
  }),
  'output/websocket': output((env) => ({ websocket: { url: wsUnixServer(env, 'contract-ws-out.sock', () => {}) } }), {
    never: 'a write fails only when the connection drops mid-write; covered by test/components/websocket',
  }),
  'output/subprocess': output(fixed({ subprocess: { name: 'cat' } }), { never: 'a write fails only when the child dies mid-write; covered by test/components/subprocess' }),
  'output/drop_on': output(fixed({ drop_on: { error: true, output: { reject: 'dropped' } } }), fails({ drop_on: { error_patterns: ['^nomatch'], output: { reject: 'contract nack' } } }, /^contract nack$/)),
}

/** Registered components the suites do not run, each with the reason. */
export const EXEMPT: Readonly<Record<string, string>> = {
  'input/stdin': "reads the host process's stdin, which the test runner owns; covered end to end by test/cli",
  'output/stdout': 'writes to the process stdout, which the test runner parses as its report; covered end to end by test/cli',
  'processor/crash': 'ends the worker thread by design; covered by test/isolation',
  'processor/decompress': 'flags every message that is not compressed, and the contract message is plain text; covered by test/components/data/archive-compress',
  'input/inproc': 'reads only what another stream writes to the same pipe; covered across worker threads by test/components/resources-e2e',
  'output/inproc': 'a write waits for a reader stream of the same pipe; covered across worker threads by test/components/resources-e2e',
  'output/http_server': 'acknowledges a write only once an HTTP client has fetched it; covered by test/components/http-server-own and http-live-cli',
  'input/nats': 'needs a running nats-server; covered against a real one by test/components/nats',
  'input/nats_jetstream': 'needs a running nats-server; covered against a real one by test/components/nats',
  'output/nats': 'needs a running nats-server; covered against a real one by test/components/nats',
  'output/nats_jetstream': 'needs a running nats-server; covered against a real one by test/components/nats',
  'input/nats_kv': 'needs a real nats-server with a bucket; covered by test/components/nats/kv.test.ts',
  'output/nats_kv': 'needs a real nats-server with a bucket; covered by test/components/nats/kv.test.ts',
  'processor/nats_kv': 'needs a real nats-server with a bucket; covered by test/components/nats/kv.test.ts',
}
