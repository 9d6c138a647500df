/**
 * `weir blobl`: run a Bloblang mapping over input lines (like Redpanda Connect's `blobl`), and
 * `weir blobl server`: a small local page to try a mapping against an input.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createInterface } from 'node:readline'
import { dirname, resolve } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { compileMapping, renderExcerpt, type Mapping } from '../bloblang/index.js'
import { DELETE, NOTHING, toJson, bytesToString, type Result } from '../value/index.js'
import { Message } from '../message/message.js'

export interface BloblIO {
  stdin: Readable
  stdout: Writable
  stderr: Writable
  /** Called once the server listens (tests use it to learn the port). */
  onListening?: (address: { host: string; port: number }) => void
  /** Aborting stops the server. */
  signal?: AbortSignal
}

const USAGE = `Usage: weir blobl [-f file | mapping] [-i input-file] [--raw] [--pretty]
       weir blobl server [--host 127.0.0.1] [--port 4195] [-m mapping-file] [-i input-file]
`

interface Flags {
  positional: string[]
  values: Map<string, string>
  bools: Set<string>
}

function parseFlags(args: string[], withValue: Record<string, string>, bools: Record<string, string>): Flags | string {
  const out: Flags = { positional: [], values: new Map(), bools: new Set() }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (!a.startsWith('-') || a === '-') {
      out.positional.push(a)
      continue
    }
    let name = a.replace(/^--?/, '')
    let inline: string | undefined
    const eq = name.indexOf('=')
    if (eq >= 0) {
      inline = name.slice(eq + 1)
      name = name.slice(0, eq)
    }
    if (withValue[name] !== undefined) {
      const v = inline ?? args[++i]
      if (v === undefined) return `flag needs an argument: -${name}`
      out.values.set(withValue[name]!, v)
    } else if (bools[name] !== undefined) out.bools.add(bools[name]!)
    else return `flag provided but not defined: -${name}`
  }
  return out
}

/** The text `blobl` prints for one result (reference: `executeMapping` in cli/blobl). */
function renderResult(root: Result, input: Uint8Array, raw: boolean, pretty: boolean): string {
  const json = (v: Result): string => toJson(v, { escapeHtml: true, indent: pretty ? '  ' : undefined })
  if (typeof root === 'string') return root
  if (root instanceof Uint8Array) return bytesToString(root)
  if (root === DELETE) return ''
  if (root === NOTHING) {
    if (raw) return json(bytesToString(input))
    try {
      return json(new Message(input).structured())
    } catch {
      return bytesToString(input)
    }
  }
  return json(root)
}

function execute(mapping: Mapping, input: Uint8Array, raw: boolean, pretty: boolean): string {
  const msg = new Message(input)
  const root = mapping.runOn([msg], 0, raw ? { self: bytesToString(input) } : {})
  return renderResult(root, input, raw, pretty)
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Parse errors with a caret excerpt of the mapping. */
function located(err: unknown, source: string): string {
  const data = (err as { data?: { line?: number; col?: number } }).data
  if (data?.line === undefined || data.col === undefined) return errorText(err)
  return renderExcerpt(source, data.line, data.col, errorText(err))
}

export async function runBlobl(args: string[], io: BloblIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  if (args[0] === 'server') return runServer(args.slice(1), io)
  const flags = parseFlags(args, { f: 'file', file: 'file', i: 'input', input: 'input', t: 'threads', threads: 'threads', 'max-token-length': 'max' }, {
    r: 'raw',
    raw: 'raw',
    p: 'pretty',
    pretty: 'pretty',
    h: 'help',
    help: 'help',
  })
  if (typeof flags === 'string') {
    io.stderr.write(`${flags}\n${USAGE}`)
    return 2
  }
  if (flags.bools.has('help')) {
    io.stdout.write(USAGE)
    return 0
  }
  const file = flags.values.get('file')
  let source = flags.positional[0] ?? ''
  if (file !== undefined) {
    if (source !== '') {
      io.stderr.write('invalid flags, unable to execute both a file mapping and an inline mapping\n')
      return 1
    }
    try {
      source = readFileSync(file, 'utf8')
    } catch (err) {
      io.stderr.write(`failed to read mapping file: ${errorText(err)}\n`)
      return 1
    }
  }
  let mapping: Mapping
  try {
    mapping = compileMapping(source, { configDir: file !== undefined ? dirname(resolve(file)) : process.cwd() })
  } catch (err) {
    io.stderr.write(`failed to parse mapping: ${located(err, source)}\n`)
    return 1
  }
  const raw = flags.bools.has('raw')
  const pretty = flags.bools.has('pretty')
  let input: Readable = io.stdin
  const inputFile = flags.values.get('input')
  if (inputFile !== undefined) {
    const { createReadStream } = await import('node:fs')
    input = createReadStream(inputFile)
  }
  const encoder = new TextEncoder()
  const lines = createInterface({ input, crlfDelay: Infinity })
  try {
    for await (const line of lines) {
      try {
        io.stdout.write(execute(mapping, encoder.encode(line), raw, pretty) + '\n')
      } catch (err) {
        io.stderr.write(`failed to execute map: ${errorText(err)}\n`)
      }
    }
  } catch (err) {
    io.stderr.write(`failed to read input: ${errorText(err)}\n`)
    return 1
  }
  return 0
}

// ---- server --------------------------------------------------------------------------------------

interface ExecuteResponse {
  parse_error: string
  mapping_error: string
  result: string
}

export function executeForServer(source: string, input: string, configDir = process.cwd()): ExecuteResponse {
  const res: ExecuteResponse = { parse_error: '', mapping_error: '', result: '' }
  let mapping: Mapping
  try {
    mapping = compileMapping(source, { configDir })
  } catch (err) {
    res.parse_error = `failed to parse mapping: ${errorText(err)}`
    return res
  }
  try {
    res.result = execute(mapping, new TextEncoder().encode(input), false, true)
  } catch (err) {
    res.mapping_error = `failed to execute mapping: ${errorText(err)}`
  }
  return res
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        fail(new Error('request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')))
    req.on('error', fail)
  })
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

async function runServer(args: string[], io: BloblIO): Promise<number> {
  const flags = parseFlags(args, { host: 'host', port: 'port', p: 'port', m: 'mapping', 'mapping-file': 'mapping', i: 'input', 'input-file': 'input' }, {
    n: 'no-open',
    'no-open': 'no-open',
    h: 'help',
    help: 'help',
  })
  if (typeof flags === 'string') {
    io.stderr.write(`${flags}\n${USAGE}`)
    return 2
  }
  if (flags.bools.has('help')) {
    io.stdout.write(USAGE)
    return 0
  }
  const host = flags.values.get('host') ?? '127.0.0.1'
  const port = Number(flags.values.get('port') ?? '4195')
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`invalid port: ${flags.values.get('port')}\n`)
    return 2
  }
  const readOpt = (k: string): string => {
    const f = flags.values.get(k)
    return f === undefined ? '' : readFileSync(f, 'utf8')
  }
  let initialMapping: string
  let initialInput: string
  try {
    initialMapping = readOpt('mapping') || 'root = this'
    initialInput = readOpt('input') || '{"message":"hello world"}'
  } catch (err) {
    io.stderr.write(`${errorText(err)}\n`)
    return 1
  }
  const page = editorPage(initialMapping, initialInput)
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) return send(res, 200, 'text/html; charset=utf-8', page)
      if (req.method === 'POST' && req.url === '/execute') {
        let body: { mapping?: unknown; input?: unknown }
        try {
          body = JSON.parse(await readBody(req, 4 << 20)) as { mapping?: unknown; input?: unknown }
        } catch (err) {
          return send(res, 400, 'text/plain; charset=utf-8', `invalid request: ${errorText(err)}`)
        }
        const out = executeForServer(String(body.mapping ?? ''), String(body.input ?? ''))
        return send(res, 200, 'application/json', JSON.stringify(out))
      }
      send(res, 404, 'text/plain; charset=utf-8', 'not found')
    })().catch((err: unknown) => send(res, 500, 'text/plain; charset=utf-8', errorText(err)))
  })
  await new Promise<void>((ok, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => ok())
  }).catch((err: unknown) => {
    io.stderr.write(`failed to listen on ${host}:${port}: ${errorText(err)}\n`)
    throw err
  })
  const addr = server.address()
  const actualPort = typeof addr === 'object' && addr !== null ? addr.port : port
  io.stdout.write(`Bloblang editor listening on http://${host}:${actualPort}\n`)
  io.onListening?.({ host, port: actualPort })
  await new Promise<void>((done) => {
    const stop = (): void => {
      server.close(() => done())
      server.closeAllConnections()
    }
    if (io.signal !== undefined) {
      if (io.signal.aborted) stop()
      else io.signal.addEventListener('abort', stop, { once: true })
    } else {
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    }
  })
  return 0
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function editorPage(mapping: string, input: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bloblang editor</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;display:grid;grid-template-rows:auto 1fr;height:100vh}
header{padding:.5rem 1rem;background:#1f2937;color:#f9fafb}
main{display:grid;grid-template-columns:1fr 1fr;grid-template-rows:1fr 1fr;gap:.5rem;padding:.5rem}
section{display:flex;flex-direction:column}
textarea,pre{flex:1;font-family:ui-monospace,monospace;font-size:14px;margin:0;padding:.5rem;border:1px solid #d1d5db;border-radius:4px}
pre{white-space:pre-wrap;overflow:auto;background:#f9fafb}
pre.error{color:#b91c1c}
#mapping-section{grid-row:span 2}
</style></head>
<body><header>Bloblang editor <small>(weir blobl server; local use only)</small></header>
<main>
<section id="mapping-section"><label for="mapping">Mapping</label><textarea id="mapping" spellcheck="false">${escapeHtml(mapping)}</textarea></section>
<section><label for="input">Input</label><textarea id="input" spellcheck="false">${escapeHtml(input)}</textarea></section>
<section><label for="output">Output</label><pre id="output"></pre></section>
</main>
<script>
const $ = (id) => document.getElementById(id)
let timer
async function run() {
  const res = await fetch('/execute', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mapping: $('mapping').value, input: $('input').value }) })
  const out = await res.json()
  const err = out.parse_error || out.mapping_error
  $('output').className = err ? 'error' : ''
  $('output').textContent = err || out.result
}
for (const id of ['mapping', 'input']) $(id).addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 200) })
run()
</script>
</body></html>
`
}
