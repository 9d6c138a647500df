/**
 * WEIR_WORKER_NICE: a worker thread lowers its own priority and leaves the main thread's alone.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { availableParallelism, getPriority } from 'node:os'
import { Worker } from 'node:worker_threads'
import { readFileSync, readdirSync } from 'node:fs'
import { startHost } from '../helpers/cli-host.js'

const HELPER = new URL('../../src/worker/thread-priority.js', import.meta.url).href

test('a thread that lowers its priority changes only its own nice value (Linux)', { skip: process.platform !== 'linux' && 'thread priorities are per process elsewhere' }, async () => {
  const before = getPriority(process.pid)
  const code = `
    import { parentPort } from 'node:worker_threads'
    import { readlinkSync } from 'node:fs'
    import { availableParallelism, getPriority } from 'node:os'
    const { lowerThreadPriority } = await import(${JSON.stringify(HELPER)})
    const lowered = lowerThreadPriority(7)
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    parentPort.postMessage({ lowered, nice: getPriority(tid) })
  `
  const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`))
  const got = await new Promise<{ lowered: boolean; nice: number }>((resolve, reject) => {
    w.once('message', resolve)
    w.once('error', reject)
  })
  await w.terminate()
  // In a run already nicer than 7 the call may not raise the priority back: it reports false and changes nothing.
  assert.equal(got.lowered, before <= 7)
  assert.equal(got.nice, Math.max(7, before))
  assert.equal(getPriority(process.pid), before)
})

test('WEIR_WORKER_NICE: unset or not a number means the default (off), 0 turns lowering off', async () => {
  const { workerNice, DEFAULT_WORKER_NICE } = (await import(HELPER)) as typeof import('../../src/worker/thread-priority.js')
  assert.equal(workerNice(undefined), DEFAULT_WORKER_NICE)
  assert.equal(workerNice(''), DEFAULT_WORKER_NICE)
  assert.equal(workerNice('soon'), DEFAULT_WORKER_NICE)
  assert.equal(workerNice('0'), 0)
  assert.equal(workerNice('19'), 19)
  // Unset, the supervisor's guard lowers busy threads when it starves; any number replaces the guard.
  const { autoWorkerNice, AUTO_WORKER_NICE } = (await import(HELPER)) as typeof import('../../src/worker/thread-priority.js')
  assert.equal(autoWorkerNice(undefined), AUTO_WORKER_NICE)
  assert.equal(autoWorkerNice(' '), AUTO_WORKER_NICE)
  assert.equal(autoWorkerNice('0'), 0)
  assert.equal(autoWorkerNice('7'), 0)
})

test('the priority guard lowers only threads busy in both of two starved windows running', async () => {
  const { threadsToLower, STARVED_MS, STARVED_PER_WAKE_MS, BUSY_SHARE } = await import('../../src/supervisor/priority-guard.js')
  const w = (id: string) => ({ id, busyShare: () => 0, lowerPriority: () => true })
  const [busy, idle, edge] = [w('busy'), w('idle'), w('edge')]
  const [started, settled] = [w('started'), w('settled')]
  // Shares in the earlier and the later window; `started` was not running in the earlier one.
  const shares = new Map<typeof busy, readonly [number | undefined, number]>([
    [busy, [0.99, 0.97]],
    [idle, [0.01, 0.02]],
    [edge, [BUSY_SHARE, BUSY_SHARE]],
    [started, [undefined, 0.9]],
    [settled, [0.8, 0.03]],
  ])
  // Starved in all: many short waits adding up.
  const long = { waitedMs: STARVED_MS, slices: 400 }
  assert.deepEqual(threadsToLower([long, long], shares).map((x) => x.id), ['busy', 'edge'])
  assert.deepEqual(threadsToLower([{ waitedMs: 0, slices: 0 }, { waitedMs: 900, slices: 400 }], shares), [], 'one starved window (a start) is not enough')
  assert.deepEqual(threadsToLower([{ waitedMs: 900, slices: 400 }, { waitedMs: STARVED_MS - 1, slices: 400 }], shares), [])
  // Starved at each wake-up: a main thread that seldom wakes but waits long each time.
  const seldom = { waitedMs: 3 * STARVED_PER_WAKE_MS, slices: 3 }
  assert.deepEqual(threadsToLower([seldom, seldom], shares).map((x) => x.id), ['busy', 'edge'])
  assert.deepEqual(threadsToLower([seldom, { waitedMs: 3 * STARVED_PER_WAKE_MS - 1, slices: 3 }], shares), [])
  assert.deepEqual(threadsToLower([seldom, { waitedMs: 0, slices: 0 }], shares), [], 'a window without a wake-up is not starved')
})

/** Nice value of every thread of `pid` (Linux /proc), by thread id. */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      // Fields after the command name, which may hold spaces: state is field 3, nice field 19.
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]))
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}

const IDLE = 'input:\n  generate:\n    interval: 1h\n    mapping: root = "x"\noutput:\n  drop: {}\n'

for (const [setting, label] of [['7', 'with WEIR_WORKER_NICE=7'], [undefined, 'by default']] as const) {
  test(`stream threads ${setting ? 'run below' : 'keep'} the main thread's priority ${label}, the main thread at its own`, { skip: process.platform !== 'linux' && 'thread priorities are per process elsewhere' }, async (t) => {
    const env: Record<string, string> = setting === undefined ? {} : { WEIR_WORKER_NICE: setting }
    if (setting === undefined && process.env.WEIR_WORKER_NICE !== undefined) return t.skip('WEIR_WORKER_NICE is set in this environment')
    const host = await startHost(t, { files: { 'a.yaml': IDLE }, env })
    await host.until('stream a running', async () => (await host.json<Record<string, { state: string }>>('/streams')).body.a?.state === 'running', 60_000)
    const pid = host.proc.pid!
    const base = getPriority(pid)
    const want = setting === undefined ? base : Math.max(Number(setting), base)
    // The stream's thread lowers itself right after it reports ready: poll for it.
    const nices = setting !== undefined ? await host.until(`a thread at nice ${want}`, () => {
      const n = threadNices(pid)
      return [...n.values()].includes(want) ? n : undefined
    }, 30_000) : threadNices(pid)
    assert.equal(nices.get(pid), base, 'the main thread keeps its priority')
    // With lowering off, no thread of the process runs below the main thread.
    if (setting === undefined) assert.ok([...nices.values()].every((n) => n === base), `every thread at nice ${base}: ${JSON.stringify([...nices])}`)
    await host.stop()
  })
}

test('by default, busy stream threads that starve the main thread are lowered to nice 19 and idle ones are not (Linux)', { skip: process.platform !== 'linux' && 'thread priorities are per process elsewhere' }, async (t) => {
  if (process.env.WEIR_WORKER_NICE !== undefined) return t.skip('WEIR_WORKER_NICE is set in this environment')
  if (getPriority(process.pid) >= 19) return t.skip('this run is already at nice 19: nothing could be lowered')
  // Eight busy threads per core keep every core taken, so the main thread waits for one.
  const busy = 8 * availableParallelism()
  const BUSY = 'input:\n  generate:\n    interval: ""\n    count: 0\n    mapping: root = counter()\noutput:\n  drop: {}\n'
  const files: Record<string, string> = { 'idle.yaml': IDLE }
  for (let i = 0; i < busy; i++) files[`busy${i}.yaml`] = BUSY
  const host = await startHost(t, { files })
  const pid = host.proc.pid!
  const base = getPriority(pid)
  // The main thread waits for a core only when it has work: a client scraping /metrics gives it
  // some (busy workers alone hardly wake it: they are not pinged and post twice a second).
  let scraping = true
  const scraper = (async () => {
    while (scraping) await fetch(`${host.base}/metrics`).then((r) => r.arrayBuffer(), () => undefined)
  })()
  const line = await host
    .until('the guard logs what it lowered', () => /lowering the CPU priority of busy stream threads \(nice 19\): ([^"\n]+)/.exec(host.stdout() + host.stderr()) ?? undefined, 90_000)
    .finally(() => {
      scraping = false
      return scraper
    })
  const named = line[1]!.split(', ')
  assert.ok(named.length > 0 && named.every((id) => /^busy\d+$/.test(id)), `only busy streams are named: ${line[1]}`)
  const nices = await host.until('a thread at nice 19', () => {
    const n = threadNices(pid)
    return [...n.values()].includes(19) ? n : undefined
  }, 30_000)
  assert.equal(nices.get(pid), base, 'the main thread keeps its priority')
  await host.stop()
})
