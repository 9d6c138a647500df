// Starting servers and the load generator as child processes.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('..', import.meta.url))

/** Spawn a process and resolve once a line of its output matches `ready`; returns the match. */
export function startProcess(args, ready, opts = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: opts.cwd ?? here, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } })
    let out = ''
    const timer = setTimeout(() => reject(new Error(`process did not get ready: ${args.join(' ')}\n${out}`)), opts.timeoutMs ?? 60000)
    const onData = (d) => {
      out += d
      const m = ready.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ proc, match: m, output: () => out })
      }
    }
    proc.stdout.setEncoding('utf8').on('data', onData)
    proc.stderr.setEncoding('utf8').on('data', onData)
    proc.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`process exited with ${code}: ${args.join(' ')}\n${out}`))
    })
  })
}

export function stopProcess(p) {
  return new Promise((resolve) => {
    if (!p || p.proc.exitCode !== null) return resolve()
    p.proc.removeAllListeners('exit')
    p.proc.once('exit', () => resolve())
    p.proc.kill('SIGTERM')
    setTimeout(() => p.proc.kill('SIGKILL'), 5000).unref()
  })
}

/** Run the load generator in its own process against `url`. */
export function loadgen(url, seconds, connections, body) {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(new URL('./loadgen.mjs', import.meta.url)), url, String(seconds), String(connections)]
    if (body !== undefined) args.push(body)
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    proc.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`loadgen failed (${code})`))))
  })
}
