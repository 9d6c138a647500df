#!/usr/bin/env node
// CPU per request of a stream endpoint's worker side, in one thread with no HTTP and no port:
// packed request frames go straight into WorkerEndpoints (as workers/stream.ts does) in front of
// the bench stream (http_server -> mapping -> sync_response), 50 requests in flight. Use it to
// measure the worker path before and after a change, or to profile it without a loaded machine
// distorting the samples:
//   node bench/tools/endpoint-cpu.mjs [requests=100000]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/endpoint-cpu.mjs
import { dist, inThreadStream } from './in-thread-stream.mjs'

const { WorkerEndpoints } = await import(dist('src/worker/endpoints.js'))
const { FrameWriter, readResponses } = await import(dist('src/protocol/http-frames.js'))

const total = Number(process.argv[2] ?? 100_000)
const inFlight = 50
const config = {
  input: { http_server: { path: '/echo' } },
  pipeline: { processors: [{ mapping: 'root = this' }] },
  output: { sync_response: {} },
}

let answered = 0
let failed = 0
let sent = 0
let finish
const done = new Promise((r) => (finish = r))
const body = new TextEncoder().encode('{"name":"ada","n":1}')
const rawHeaders = ['Host', '127.0.0.1:4195', 'Content-Type', 'application/json', 'Content-Length', String(body.length)]

const endpoints = new WorkerEndpoints((msg) => {
  let n = 0
  readResponses(msg.frame, (r) => {
    n++
    if (r.status !== 200) failed++
  })
  answered += n
  if (answered >= total) return finish()
  sendFrame(Math.min(n, total - sent))
})
const { stop } = await inThreadStream(config, { endpoints })

function sendFrame(n) {
  if (n <= 0) return
  const w = new FrameWriter()
  for (let i = 0; i < n; i++) {
    // Fresh header strings per request, as node:http's parser produces them.
    w.request(++sent, { endpoint: '/echo', method: 'POST', path: '/bench/echo', query: '', remoteAddress: '127.0.0.1', rawHeaders: rawHeaders.map((h) => (' ' + h).slice(1)), params: {}, body })
  }
  // Delivered on a later turn, as a port message would be.
  setImmediate(() => endpoints.dispatchFrame(w.take().frame))
}

const cpu0 = process.cpuUsage()
const t0 = performance.now()
sendFrame(inFlight)
await done
const cpu = process.cpuUsage(cpu0)
const wall = performance.now() - t0
console.log(
  JSON.stringify({ requests: answered, failed, cpuUsPerReq: +((cpu.user + cpu.system) / answered).toFixed(2), wallUsPerReq: +((wall * 1000) / answered).toFixed(2) }),
)
await stop()
process.exit(0)
