/**
 * A real `nats-server -js` on a free loopback port with a temporary store, for tests. Tests call
 * `natsServerPath()` first and skip loudly when the program is missing (never pass silently).
 * `restart()` stops it and starts it again on the same port and store: an outage.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { TestContext } from 'node:test'

export const NATS_MISSING = 'nats-server not found: apt-get install nats-server (or put nats-server on PATH)'

/** The nats-server binary: /usr/sbin/nats-server or the first on PATH; undefined when absent. */
export function natsServerPath(): string | undefined {
  const dirs = ['/usr/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)]
  for (const d of dirs) {
    const p = join(d, 'nats-server')
    try {
      accessSync(p, constants.X_OK)
      return p
    } catch {
      // next
    }
  }
  return undefined
}

export interface NatsServer {
  port: number
  /** `nats://127.0.0.1:<port>` */
  url: string
  stop(): Promise<void>
  /** Stops the server, then starts it on the same port and store once `whileDown` resolved. */
  restart(whileDown?: () => Promise<void>): Promise<void>
}

export async function startNatsServer(t: TestContext, bin: string): Promise<NatsServer> {
  const store = mkdtempSync(join(tmpdir(), 'weir-nats-'))
  const port = await freePort()
  let proc: ChildProcess | undefined
  const launch = async (): Promise<void> => {
    const p = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: ['ignore', 'pipe', 'pipe'] })
    proc = p
    let log = ''
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`nats-server did not become ready within 30s:\n${log}`)), 30_000)
      const onData = (d: Buffer): void => {
        log += d.toString()
        if (log.includes('Server is ready')) {
          clearTimeout(deadline)
          resolve()
        }
      }
      p.stderr!.on('data', onData)
      p.stdout!.on('data', onData)
      p.once('exit', (code) => {
        clearTimeout(deadline)
        reject(new Error(`nats-server exited with ${code}:\n${log}`))
      })
    })
  }
  const stop = async (): Promise<void> => {
    const p = proc
    proc = undefined
    if (!p || p.exitCode !== null || p.signalCode !== null) return
    const exited = new Promise<void>((r) => p.once('exit', () => r()))
    p.kill('SIGTERM')
    const force = setTimeout(() => p.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(force)
  }
  await launch()
  t.after(async () => {
    await stop()
    rmSync(store, { recursive: true, force: true })
  })
  return {
    port,
    url: `nats://127.0.0.1:${port}`,
    stop,
    restart: async (whileDown) => {
      await stop()
      await whileDown?.()
      // The port can linger briefly in the kernel after the exit: retry the bind with a deadline.
      const deadline = Date.now() + 30_000
      for (;;) {
        try {
          await launch()
          return
        } catch (err) {
          if (Date.now() > deadline) throw err
          await new Promise((r) => setTimeout(r, 200))
        }
      }
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}
