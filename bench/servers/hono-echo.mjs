// Baseline: a plain Hono app on @hono/node-server that echoes the request body.
import { Hono } from 'hono'
import { serve } from '@hono/node-server'

const app = new Hono()
app.post('/echo', async (c) => c.body(await c.req.text(), 200, { 'Content-Type': 'application/octet-stream' }))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`LISTENING ${info.port}`))
void server
