/**
 * A real `nats-server -js` on a free loopback port with a temporary store, for the NATS tests.
 * `findNatsServer()` is undefined when the program is missing: tests then skip with a loud message
 * naming it and how to install it. The server can be stopped and started again on the same port
 * and store (outage tests); it is killed and its store removed after the test.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { TestContext } from 'node:test'

export const NATS_MISSING = 'nats-server not found (looked in /usr/sbin and $PATH): apt-get install nats-server'

export function findNatsServer(): string | undefined {
  const dirs = ['/usr/sbin', '/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter)]
  for (const d of dirs) {
    if (!d) continue
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

/** Skips `t` loudly when nats-server is missing; true when the test may go on. */
export function requireNats(t: TestContext): boolean {
  if (findNatsServer()) return true
  // Printed as well as reported: a skipped test must not look like a passing one in CI logs.
  process.stderr.write(`\n*** SKIPPED: ${NATS_MISSING}\n`)
  t.skip(NATS_MISSING)
  return false
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tcpConnect({ host: '127.0.0.1', port })
    let info = ''
    sock.setEncoding('utf8')
    sock.on('data', (d: string) => {
      info += d
      // The server greets with INFO once it accepts clients (JetStream is up by then).
      if (info.includes('INFO')) {
        sock.destroy()
        resolve(true)
      }
    })
    sock.on('error', () => resolve(false))
    sock.setTimeout(2000, () => {
      sock.destroy()
      resolve(false)
    })
  })
}

export interface NatsServer {
  url: string
  port: number
  storeDir: string
  /** Server output so far (for failure messages). */
  log(): string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startNatsServer(t: TestContext, extraArgs: string[] = []): Promise<NatsServer> {
  const bin = findNatsServer()
  if (!bin) throw new Error(NATS_MISSING)
  const port = await freePort()
  const storeDir = mkdtempSync(join(tmpdir(), 'weir-nats-'))
  let proc: ChildProcess | undefined
  let out = ''
  const start = async (): Promise<void> => {
    const p = spawn(bin, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] })
    p.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
    p.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d))
    proc = p
    const deadline = Date.now() + 30_000
    while (Date.now() < deadline) {
      if (p.exitCode !== null) throw new Error(`nats-server exited with ${p.exitCode}:\n${out}`)
      if (await accepts(port)) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`nats-server did not accept connections on 127.0.0.1:${port} within 30 s:\n${out}`)
  }
  const stop = async (): Promise<void> => {
    const p = proc
    proc = undefined
    if (!p || p.exitCode !== null || p.signalCode !== null) return
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()))
    p.kill('SIGTERM')
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000)
    await gone
    clearTimeout(timer)
  }
  await start()
  t.after(async () => {
    await stop()
    rmSync(storeDir, { recursive: true, force: true })
  })
  return { url: `nats://127.0.0.1:${port}`, port, storeDir, log: () => out, stop, start }
}
