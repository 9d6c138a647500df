// The metrics scenario's baseline server, in its own process: a prom-client registry mirroring the
// exposition the parent sends, served by bare node:http. It times its own thread from each
// request's arrival to the end of its response (CPU from schedstat, event-loop active time) and
// tells the parent the latest on request, outside the timed scrape.
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { mirror, threadCpuNs } from '../lib/prom-mirror.mjs'

let last = { cpu: 0, elu: 0 }
process.on('message', async (m) => {
  if (m.type === 'last') return process.send({ type: 'cost', ...last })
  if (m.type !== 'serve') return
  const registry = mirror(m.text)
  const text = await registry.metrics()
  const server = createServer(async (_req, res) => {
    const c0 = threadCpuNs()
    const e0 = performance.eventLoopUtilization()
    res.on('finish', () => (last = { cpu: (threadCpuNs() - c0) / 1e6, elu: performance.eventLoopUtilization(e0).active }))
    const body = await registry.metrics()
    res.writeHead(200, { 'Content-Type': registry.contentType })
    res.end(body)
  })
  server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port, text }))
})
process.on('disconnect', () => process.exit(0))
