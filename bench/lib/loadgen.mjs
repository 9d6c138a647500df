// HTTP load generator, run in its own process (never on the server's thread):
//   node loadgen.mjs <url> <seconds> <connections> [body]
// Prints one JSON line: { requests, errors, non2xx, rps, p50, p99 } (latencies in ms).
import { Pool } from 'undici'

const [url, seconds = '5', connections = '50', body = '{"name":"ada","n":1}'] = process.argv.slice(2)
const u = new URL(url)
const pool = new Pool(u.origin, { connections: Number(connections), pipelining: 1 })
const deadline = performance.now() + Number(seconds) * 1000
const lat = []
let requests = 0, errors = 0, non2xx = 0

async function worker() {
  while (performance.now() < deadline) {
    const t0 = performance.now()
    try {
      const r = await pool.request({ path: u.pathname + u.search, method: 'POST', body, headers: { 'content-type': 'application/json' } })
      await r.body.text()
      if (r.statusCode < 200 || r.statusCode > 299) non2xx++
    } catch {
      errors++
    }
    requests++
    if (lat.length < 200000) lat.push(performance.now() - t0)
  }
}

const start = performance.now()
await Promise.all(Array.from({ length: Number(connections) }, worker))
const elapsed = (performance.now() - start) / 1000
await pool.close()
lat.sort((a, b) => a - b)
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN
console.log(JSON.stringify({ requests, errors, non2xx, rps: requests / elapsed, p50: q(0.5), p99: q(0.99) }))
