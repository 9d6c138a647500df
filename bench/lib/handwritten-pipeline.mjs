// Baseline for the pipeline scenario: the generate -> mapping -> drop stream written by hand, run
// in its own process for `seconds`:
//   node handwritten-pipeline.mjs one-thread <seconds>
//   node handwritten-pipeline.mjs two-threads <seconds> <batch>
// `one-thread` generates, parses, transforms, serialises and sinks each message in a loop;
// `two-threads` generates on the main thread and posts batches to a worker that does the rest (at
// most 8 batches in flight, as a credit window). Prints one JSON line: { messages, seconds, rate }.
import { Worker, isMainThread, parentPort } from 'node:worker_threads'

// Same documents as the stream's `generate` mapping, same transform as its `mapping` processor.
// Messages are JSON bytes in and out, as in spec/node-limits.md's "parse + transform + serialize"
// baseline: the work a hand-written Node pipeline does per message between a real input and output.
// (On bare objects V8 optimises most of the loop away and the baseline measures nothing.)
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const generate = (n) => encoder.encode(JSON.stringify({ id: n, name: 'ada lovelace', score: 41 }))
const transform = (bytes) => {
  const d = JSON.parse(decoder.decode(bytes))
  return encoder.encode(JSON.stringify({ id: d.id, name: d.name.toUpperCase(), score: d.score + 1 }))
}
const sinkOne = (b) => b.length

if (isMainThread) {
  const [mode = 'one-thread', secondsArg = '2', batchArg = '256'] = process.argv.slice(2)
  const ms = Number(secondsArg) * 1000
  const result = mode === 'two-threads' ? await twoThreads(ms, Number(batchArg)) : oneThread(ms)
  console.log(JSON.stringify(result))
  process.exit(0)
} else {
  let sink = 0
  parentPort.on('message', (batch) => {
    for (const d of batch) sink += sinkOne(transform(d))
    parentPort.postMessage(sink & 1)
  })
}

function oneThread(ms) {
  const start = performance.now()
  let n = 0
  let sink = 0
  // Check the clock every 4096 messages: cheap enough not to dominate.
  while (performance.now() - start < ms) {
    for (let i = 0; i < 4096; i++) sink += sinkOne(transform(generate(++n)))
  }
  const seconds = (performance.now() - start) / 1000
  if (sink < 0) console.error(sink)
  return { messages: n, seconds, rate: n / seconds }
}

function twoThreads(ms, batchSize) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url))
    const WINDOW = 8
    let inFlight = 0
    let n = 0
    let done = 0
    let stopping = false
    const start = performance.now()
    const pump = () => {
      while (!stopping && inFlight < WINDOW) {
        if (performance.now() - start >= ms) {
          stopping = true
          break
        }
        const batch = new Array(batchSize)
        for (let i = 0; i < batchSize; i++) batch[i] = generate(++n)
        worker.postMessage(batch)
        inFlight++
      }
      if (stopping && inFlight === 0) {
        const seconds = (performance.now() - start) / 1000
        void worker.terminate()
        resolve({ messages: done, seconds, rate: done / seconds, batch: batchSize })
      }
    }
    worker.on('message', () => {
      inFlight--
      done += batchSize
      pump()
    })
    worker.once('online', pump)
  })
}
