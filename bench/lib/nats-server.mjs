// What the NATS scenarios need to run their own nats-server on loopback: where the program is, and
// a free port for it (the server takes a fixed -p, not 0).
import { accessSync, constants } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'

export function natsServerPath() {
  for (const d of ['/usr/sbin', '/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    if (!d) continue
    try {
      accessSync(join(d, 'nats-server'), constants.X_OK)
      return join(d, 'nats-server')
    } catch {}
  }
  throw new Error('nats-server not found (looked in /usr/sbin and $PATH): apt-get install nats-server')
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}
