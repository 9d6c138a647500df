// Starting servers and the load generator as child processes.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('..', import.meta.url))

/** Spawn a process and resolve once a line of its output matches `ready`; returns the match. */
export function startProcess(args, ready, opts = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { cwd: opts.cwd ?? here, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } })
    let out = ''
    const timer = setTimeout(() => {
      // Never leave a half-started server behind to skew the next scenario.
      proc.removeAllListeners('exit')
      proc.kill('SIGKILL')
      reject(new Error(`process did not get ready: ${args.join(' ')}\n${out}`))
    }, opts.timeoutMs ?? 60000)
    let isReady = false
    const onData = (d) => {
      out += d
      // Keep the tail only: a long run must not grow memory or rescan its whole log per chunk.
      if (out.length > 1 << 20) out = out.slice(-(1 << 19))
      if (isReady) return
      const m = ready.exec(out)
      if (m) {
        isReady = true
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

/**
 * An open-ended load generator in its own process: resolves once it runs; `stop()` ends it and
 * resolves with its result line.
 */
export function startLoadgen(url, connections, body) {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(new URL('./loadgen.mjs', import.meta.url)), url, '0', String(connections)]
    if (body !== undefined) args.push(body)
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const exited = new Promise((res, rej) =>
      proc.on('exit', (code) => (code === 0 ? res(JSON.parse(out)) : rej(new Error(`loadgen failed (${code}): ${err}`)))),
    )
    exited.catch(reject)
    proc.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    proc.stderr.setEncoding('utf8').on('data', (d) => {
      err += d
      if (err.includes('LOADGEN STARTED'))
        resolve({
          stop() {
            proc.kill('SIGTERM')
            return exited
          },
        })
    })
  })
}
