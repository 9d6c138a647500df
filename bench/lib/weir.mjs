// Starting the real Weir CLI (dist/src/main.js) on an ephemeral loopback port, with stream files
// written to a temp dir, the way a user runs it.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startProcess, stopProcess } from './procs.mjs'

export const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url))

/** Fails early with a useful message instead of a spawn error deep inside a scenario. */
export function assertBuilt() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -p tsconfig.json\` (or \`npm ci\`) first`)
}

/**
 * Writes `files` (relative path -> text) to a temp dir and starts `weir streams` on it.
 * Resolves once every stream given at start-up was created (the CLI logs "Launching" then), with
 * `startMs` = spawn to that line. `args` go after `streams`; `{dir}` is replaced by the temp dir.
 * `main` points at another build's main.js, for before/after comparisons in one run.
 */
export async function startWeir({ files = {}, args = ['{dir}'], timeoutMs = 120000, main = MAIN } = {}) {
  if (main === MAIN) assertBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'weir-bench-'))
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  const t0 = performance.now()
  let p
  try {
    p = await startProcess(
      [...nodeArgs(), main, 'streams', '--log.level', 'info', '--set', 'http.address=127.0.0.1:0', ...args.map((a) => a.replaceAll('{dir}', dir))],
      /Listening for HTTP requests at: http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Launching weir/,
      { timeoutMs, cwd: dir },
    )
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  const startMs = performance.now() - t0
  // Output up to the ready line; waitFor looks only past it.
  const readyLength = p.match.index + p.match[0].length
  const base = `http://127.0.0.1:${p.match[1]}`
  return {
    dir,
    base,
    proc: p.proc,
    pid: p.proc.pid,
    startMs,
    output: p.output,
    write: (rel, text) => writeFileSync(join(dir, rel), text),
    /**
     * Resolves with the time (performance.now) at which a line matching `re` was printed, as seen
     * from here. Output printed before the call counts too (with the time of the call).
     */
    waitFor(re, timeoutMs = 120000) {
      const at = performance.now()
      if (re.test(p.output().slice(readyLength))) return Promise.resolve(at)
      return new Promise((resolve, reject) => {
        let buf = ''
        const onData = (d) => {
          buf = (buf + d).slice(-65536)
          if (!re.test(buf)) return
          cleanup()
          resolve(performance.now())
        }
        const onExit = () => {
          cleanup()
          reject(new Error(`weir exited while waiting for ${re}`))
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`timed out waiting for ${re} in weir's output`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          p.proc.stdout.off('data', onData)
          p.proc.stderr.off('data', onData)
          p.proc.off('exit', onExit)
        }
        p.proc.stdout.on('data', onData)
        p.proc.stderr.on('data', onData)
        p.proc.on('exit', onExit)
      })
    },
    async stop() {
      await stopProcess(p)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Extra node flags for the Weir process only (not the load generator), e.g.
 * `BENCH_WEIR_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench -- http`.
 */
function nodeArgs() {
  const s = process.env.BENCH_WEIR_NODE_ARGS ?? ''
  return s.split(/\s+/).filter(Boolean)
}

/** Polls `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function until(what, fn, timeoutMs = 30000, everyMs = 20) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const v = await fn().catch(() => undefined)
    if (v) return v
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Resident set size of a process in bytes, from /proc (Linux only; NaN elsewhere). */
export function rssOf(pid) {
  try {
    const status = readProc(`/proc/${pid}/status`)
    const m = /VmRSS:\s+(\d+) kB/.exec(status)
    return m ? Number(m[1]) * 1024 : NaN
  } catch {
    return NaN
  }
}

/** User + system CPU time of a process in ms, from /proc (Linux only; NaN elsewhere). */
export function cpuMsOf(pid) {
  try {
    const stat = readProc(`/proc/${pid}/stat`)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return NaN
  }
}

function readProc(path) {
  return readFileSync(path, 'utf8')
}

/**
 * Runs a host whose one stream generates `count` messages and ends; the rate is `count` over the
 * time from ready to its "stream finished" line.
 */
export async function finishRate(count, opts) {
  const w = await startWeir(opts)
  try {
    const start = performance.now()
    const end = await w.waitFor(/msg="stream finished"/)
    const seconds = (end - start) / 1000
    return { messages: count, seconds, rate: count / seconds }
  } finally {
    await w.stop()
  }
}

/** A stream that serves `/in` answering with its tag: one edit builds a worker, a route and metrics. */
export const tagged = (tag) => `input:
  http_server:
    path: /in
pipeline:
  processors:
    - mapping: 'root = "${tag}:" + content().string()'
output:
  sync_response: {}
`
