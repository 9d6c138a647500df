// Baseline: bare node:http whose echo is done by a worker thread, one MessagePort hop each way,
// requests and responses batched per loop turn. This is the floor of what a stream endpoint costs
// before any stream machinery runs (spec/node-limits.md: about 84 % of bare node:http).
import { createServer } from 'node:http'
import { Worker, isMainThread, parentPort } from 'node:worker_threads'

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url))
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
  parentPort.on('message', (requests) => {
    for (const r of requests) {
      outbox.push(r)
      transfer.push(r.body)
    }
    if (!scheduled) {
      scheduled = true
      setImmediate(flush)
    }
  })
}
