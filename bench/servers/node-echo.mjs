// Baseline: a bare node:http server that echoes the request body.
import { createServer } from 'node:http'

const server = createServer((req, res) => {
  const chunks = []
  req.on('data', (c) => chunks.push(c))
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
    res.end(Buffer.concat(chunks))
  })
})
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`))
