// Baseline: bare node:http whose echo is done by a worker thread, one MessagePort hop each way,
// requests and responses batched per loop turn. This is the floor of what a stream endpoint costs
// before any stream machinery runs (spec/node-limits.md: about 84 % of bare node:http).
// With `--json` the worker also does by hand what the bench stream's `root = this` does to each
// body: decode, JSON.parse, serialise with sorted keys (Go's encoder sorts them), encode.
import { createServer } from 'node:http'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { json: process.argv.includes('--json') } })
  const pending = new Map()
  let nextId = 1
  let outbox = []
  let transfer = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    worker.postMessage(outbox, transfer)
    outbox = []
    transfer = []
  }
  worker.on('message', (replies) => {
    for (const r of replies) {
      const res = pending.get(r.id)
      pending.delete(r.id)
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      res.end(Buffer.from(r.body))
    }
  })
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const b = Buffer.concat(chunks)
      const body = b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
      const id = nextId++
      pending.set(id, res)
      outbox.push({ id, body })
      transfer.push(body)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })
  })
  server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`))
} else {
  let outbox = []
  let transfer = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    parentPort.postMessage(outbox, transfer)
    outbox = []
    transfer = []
  }
  const decoder = new TextDecoder()
  const sorted = (v) => {
    if (typeof v === 'number') return Number.isFinite(v) ? '' + v : 'null'
    if (v === null || typeof v !== 'object') return JSON.stringify(v)
    let out
    if (Array.isArray(v)) {
      out = '['
      for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + sorted(v[i])
      return out + ']'
    }
    const keys = Object.keys(v)
    if (keys.length > 1) keys.sort()
    out = '{'
    for (let i = 0; i < keys.length; i++) out += (i ? ',' : '') + JSON.stringify(keys[i]) + ':' + sorted(v[keys[i]])
    return out + '}'
  }
  parentPort.on('message', (requests) => {
    for (const r of requests) {
      outbox.push(r)
      // The JSON text goes back as a string (cloned), which the main thread's Buffer.from takes as well.
      if (workerData.json) r.body = sorted(JSON.parse(decoder.decode(r.body)))
      else transfer.push(r.body)
    }
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  })
}
