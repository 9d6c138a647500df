/**
 * WEIR_WORKER_NICE: a worker thread lowers its own priority and leaves the main thread's alone.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { getPriority } from 'node:os'
import { Worker } from 'node:worker_threads'

const HELPER = new URL('../../src/worker/thread-priority.js', import.meta.url).href

test('a thread that lowers its priority changes only its own nice value (Linux)', { skip: process.platform !== 'linux' && 'thread priorities are per process elsewhere' }, async () => {
  const before = getPriority(process.pid)
  const code = `
    import { parentPort } from 'node:worker_threads'
    import { readlinkSync } from 'node:fs'
    import { getPriority } from 'node:os'
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
