#!/usr/bin/env node
// CPU per message of the `streams` bench's busy stream (generate -> three-statement mapping ->
// drop), built in this thread with no host around it, plus the share of that time V8's other
// threads (GC helpers, concurrent compilers) spent beside it. Use it to measure a change to the
// busy path before and after, or to profile it without the supervisor in the samples:
//   node bench/tools/busy-cpu.mjs [messages=1000000]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/tools/busy-cpu.mjs
import { readFileSync, readdirSync } from 'node:fs'
import { inThreadStream } from './in-thread-stream.mjs'

const total = Number(process.argv[2] ?? 1_000_000)
const config = {
  input: { generate: { interval: '', count: total, mapping: 'root = {"id": counter(), "name": "ada lovelace", "score": 41}' } },
  pipeline: { processors: [{ mapping: 'root.id = this.id\nroot.name = this.name.uppercase()\nroot.score = this.score + 1' }] },
  output: { drop: {} },
}

/** CPU ms of this process's threads other than this one (Linux only; 0 elsewhere). */
function otherThreadsMs() {
  try {
    let ms = 0
    for (const t of readdirSync('/proc/self/task')) {
      if (Number(t) === process.pid) continue
      const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ')
      ms += (Number(f[11]) + Number(f[12])) * 10
    }
    return ms
  } catch {
    return 0
  }
}

const others0 = otherThreadsMs()
const cpu0 = process.cpuUsage()
const t0 = performance.now()
const { stream, stop } = await inThreadStream(config)
await stream.finished
const wall = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
const others = otherThreadsMs() - others0
const all = (cpu.user + cpu.system) / 1000
console.log(
  JSON.stringify({
    messages: total,
    wallUsPerMsg: +((wall * 1000) / total).toFixed(3),
    cpuUsPerMsg: +((all * 1000) / total).toFixed(3),
    otherThreadsUsPerMsg: +((others * 1000) / total).toFixed(3),
  }),
)
await stop()
process.exit(0)
