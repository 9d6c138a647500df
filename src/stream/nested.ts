/**
 * Nested inputs and outputs built through `ctx.build` (broker children, switch cases, wrapped
 * outputs) keep their own `processors`: an input's run on what it reads before its parent sees it,
 * an output's on what its parent writes before it reaches the output, as for the root ones.
 */
import { END_OF_INPUT, type Input, type Output, type Processor, type ReadResult, type Transaction } from '../spec/index.js'
import type { Batch } from '../message/message.js'
import { splitAck } from '../util/ack.js'
import { runChain } from './processors.js'
import { asError } from './input-layer.js'

export function inputWithProcessors(input: Input, procs: readonly Processor[]): Input {
  // A transaction the processors split into several batches hands them out one read at a time.
  const queued: Transaction[] = []
  return {
    ...(input.replayNacks !== undefined ? { replayNacks: input.replayNacks } : {}),
    connect: (signal) => input.connect(signal),
    connected: () => input.connected(),
    ...(input.watchConnection ? { watchConnection: (fn: () => void) => input.watchConnection!(fn) } : {}),
    async read(signal): Promise<ReadResult> {
      for (;;) {
        const next = queued.shift()
        if (next) return next
        const tx = await input.read(signal)
        if (tx === END_OF_INPUT) return tx
        let batches: Batch[]
        try {
          batches = await runChain(procs, tx.batch)
        } catch (err) {
          tx.ack(asError(err))
          continue
        }
        if (batches.length === 0) {
          tx.ack()
          continue
        }
        if (batches.length === 1) return { batch: batches[0]!, ack: tx.ack }
        const acks = splitAck(batches.length, tx.ack)
        for (let i = 1; i < batches.length; i++) queued.push({ batch: batches[i]!, ack: acks[i]! })
        return { batch: batches[0]!, ack: acks[0]! }
      }
    },
    async close() {
      await input.close()
      await Promise.allSettled(procs.map((p) => p.close()))
    },
  }
}

export function outputWithProcessors(output: Output, procs: readonly Processor[]): Output {
  return {
    maxInFlight: output.maxInFlight,
    connect: (signal) => output.connect(signal),
    connected: () => output.connected(),
    ...(output.watchConnection ? { watchConnection: (fn: () => void) => output.watchConnection!(fn) } : {}),
    async write(batch, signal) {
      for (const b of await runChain(procs, batch)) await output.write(b, signal)
    },
    ...(output.endOfInput ? { endOfInput: () => output.endOfInput!() } : {}),
    async close() {
      await output.close()
      await Promise.allSettled(procs.map((p) => p.close()))
    },
  }
}
