// HTTP/1.1 load generator, run in its own process (never on the server's thread):
//   node loadgen.mjs <url> <seconds> <connections> [body]
// seconds = 0: run until SIGTERM. Prints one JSON line: { requests, errors, non2xx, rps, p50, p99 } (latencies in ms).
//
// Keep-alive connections over raw sockets, one request in flight per connection (like wrk's
// default). On a 2-core machine the generator shares the CPU with the server it measures, so it is
// kept as cheap as wrk is: the request bytes are built once and a response is only parsed as far as
// its status line and length. undici spent about twice the CPU per request of this here, which the
// server under test then lacked.
import { connect } from 'node:net'

const [url, seconds = '5', connections = '50', body = '{"name":"ada","n":1}'] = process.argv.slice(2)
const u = new URL(url)
const port = Number(u.port || 80)
const bodyBytes = Buffer.from(body)
const request = Buffer.concat([
  Buffer.from(
    `POST ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${bodyBytes.length}\r\n\r\n`,
  ),
  bodyBytes,
])

const durationMs = Number(seconds) * 1000
const lat = []
let requests = 0
let errors = 0
let non2xx = 0
let stopAt = Infinity

const CRLF2 = Buffer.from('\r\n\r\n')

/** One connection: send, wait for a whole response, repeat until the deadline. */
function client() {
  return new Promise((resolve) => {
    let sock
    let buf = Buffer.alloc(0)
    let sentAt = 0
    let finished = false

    const open = () => {
      buf = Buffer.alloc(0)
      sock = connect({ host: u.hostname, port, noDelay: true })
      sock.on('connect', send)
      sock.on('data', onData)
      sock.on('error', () => {})
      sock.on('close', () => {
        if (finished) return
        // A connection closed mid-request is a failed request; carry on with a fresh one.
        if (sentAt) {
          errors++
          requests++
          sentAt = 0
        }
        if (performance.now() < stopAt) open()
        else done()
      })
    }
    const send = () => {
      if (performance.now() >= stopAt) return done()
      sentAt = performance.now()
      sock.write(request)
    }
    const done = () => {
      if (finished) return
      finished = true
      sock.destroy()
      resolve()
    }
    const onData = (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk
      for (;;) {
        const n = responseLength(buf)
        if (n === 0) return
        if (n < 0) {
          errors++
          requests++
          sentAt = 0
          sock.destroy()
          return
        }
        const status = (buf[9] - 48) * 100 + (buf[10] - 48) * 10 + (buf[11] - 48)
        if (status < 200 || status > 299) non2xx++
        requests++
        if (lat.length < 500000) lat.push(performance.now() - sentAt)
        sentAt = 0
        const closing = hasConnectionClose(buf, n)
        buf = buf.subarray(n)
        if (closing) return sock.end()
        send()
      }
    }
    open()
  })
}

/** Length of the first complete response in `b`: 0 = incomplete, -1 = unparseable. */
function responseLength(b) {
  const head = b.indexOf(CRLF2)
  if (head === -1) return b.length > 65536 ? -1 : 0
  const h = b.toString('latin1', 0, head).toLowerCase()
  const cl = /\r\ncontent-length:\s*(\d+)/.exec(h)
  if (cl) {
    const total = head + 4 + Number(cl[1])
    return b.length >= total ? total : 0
  }
  if (/\r\ntransfer-encoding:\s*chunked/.test(h)) return chunkedEnd(b, head + 4)
  return /^http\/1\.\d (1\d\d|204|304)/.test(h) ? head + 4 : -1
}

function chunkedEnd(b, at) {
  for (;;) {
    const eol = b.indexOf('\r\n', at)
    if (eol === -1) return 0
    const size = parseInt(b.toString('latin1', at, eol), 16)
    if (!Number.isFinite(size)) return -1
    if (size === 0) {
      // Trailers are not expected; the final CRLF ends the message.
      return b.length >= eol + 4 ? eol + 4 : 0
    }
    at = eol + 2 + size + 2
    if (b.length < at) return 0
  }
}

function hasConnectionClose(b, n) {
  return /\r\nconnection:\s*close/i.test(b.toString('latin1', 0, Math.min(n, b.indexOf(CRLF2))))
}

const start = performance.now()
stopAt = durationMs > 0 ? start + durationMs : Infinity
// Open-ended runs stop on SIGTERM: every connection finishes its request in flight, then reports.
process.once('SIGTERM', () => {
  stopAt = performance.now()
})
// Tell the parent the connections are about to open (open-ended runs are started in the background).
if (durationMs <= 0) process.stderr.write('LOADGEN STARTED\n')
await Promise.all(Array.from({ length: Number(connections) }, client))
const elapsed = (performance.now() - start) / 1000
lat.sort((a, b) => a - b)
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN
console.log(JSON.stringify({ requests, errors, non2xx, rps: requests / elapsed, p50: q(0.5), p99: q(0.99) }))
