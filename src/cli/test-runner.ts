/**
 * Runs the cases of one test target in order: each case's environment is set for its duration and
 * restored after, its input batches go through its processors stage by stage (every batch through
 * the first processor, then the results through the next, as the reference's `ExecuteAll`), and
 * the output batches are checked against the expected ones.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Message, type Batch } from '../message/message.js'
import { fromPlain } from '../bloblang/index.js'
import type { Processor } from '../spec/index.js'
import { compileConditions, type Paint } from './test-conditions.js'
import type { InputSpec, TestCase } from './test-definition.js'
import { provideMapping, provideProcessors, type ProviderOptions, type ProvidedProcessors } from './test-processors.js'

export interface CaseFailure {
  name: string
  line: number
  reason: string
}

/** A case could not run at all (its processors or inputs failed to build): the run stops. */
export class CaseError extends Error {}

/** Runs every case of a target; resolves with the failures. Rejects with CaseError. */
export async function runTarget(cases: readonly TestCase[], opts: ProviderOptions, paint: Paint): Promise<CaseFailure[]> {
  const failures: CaseFailure[] = []
  for (const [i, c] of cases.entries()) {
    const restore = setEnvironment(c.environment)
    try {
      failures.push(...(await runCase(c, opts, paint)))
    } catch (err) {
      throw new CaseError(`test case ${i} failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      restore()
    }
  }
  return failures
}

function setEnvironment(vars: Record<string, string> | undefined): () => void {
  if (!vars) return () => undefined
  const saved = new Map<string, string | undefined>()
  for (const [k, v] of Object.entries(vars)) {
    saved.set(k, process.env[k])
    process.env[k] = v
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

async function runCase(c: TestCase, opts: ProviderOptions, paint: Paint): Promise<CaseFailure[]> {
  let provided: ProvidedProcessors
  if (c.targetMapping !== '') {
    try {
      provided = await provideMapping(opts, c.targetMapping)
    } catch (err) {
      throw new Error(`failed to initialise Bloblang mapping '${c.targetMapping}': ${err instanceof Error ? err.message : String(err)}`)
    }
  } else {
    try {
      provided = await provideProcessors(opts, c.targetProcessors, c.environment ?? {}, c.mocks ?? {})
    } catch (err) {
      throw new Error(`failed to initialise processors '${c.targetProcessors}': ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  try {
    return await check(c, provided.processors, dirname(opts.target), paint)
  } finally {
    await provided.close()
  }
}

async function check(c: TestCase, procs: readonly Processor[], dir: string, paint: Paint): Promise<CaseFailure[]> {
  const failures: CaseFailure[] = []
  const fail = (reason: string): void => void failures.push({ name: c.name, line: c.line, reason })

  const inputs = c.inputBatches.map((batch) => batch.map((m, i) => toMessage(m, i, dir)))
  const expected = c.outputBatches.map((batch) => batch.map((spec) => compileConditions(spec, dir, paint)))

  let outputs: Batch[] = inputs
  try {
    for (const p of procs) {
      const next: Batch[] = []
      for (const b of outputs) for (const out of await p.process(b)) if (out.length > 0) next.push(out)
      outputs = next
    }
  } catch (err) {
    fail(`processors resulted in error: ${err instanceof Error ? err.message : String(err)}`)
  }

  if (outputs.length < expected.length) fail(`wrong batch count, expected ${expected.length}, got ${outputs.length}`)
  for (const [i, batch] of outputs.entries()) {
    const exp = expected[i]
    if (!exp) {
      fail(`unexpected batch: [${batch.map((m) => m.text()).join(' ')}]`)
      continue
    }
    if (exp.length !== batch.length) fail(`mismatch of output batch ${i} message counts, expected ${exp.length}, got ${batch.length}`)
    for (const [j, msg] of batch.entries()) {
      const conds = exp[j]
      if (!conds) {
        fail(`unexpected message from batch ${i}: ${msg.text()}`)
        continue
      }
      const errs = conds.check(msg)
      for (const e of errs) fail(`batch ${i} message ${j}: ${e}`)
      if (msg.error && errs.length > 0) fail(`batch ${i} message ${j}: ${paint.red(msg.error.message)}`)
    }
  }
  return failures
}

function toMessage(spec: InputSpec, index: number, dir: string): Message {
  let content: Uint8Array | string = spec.content
  if (spec.file !== undefined) {
    const path = join(dir, spec.file)
    try {
      content = readFileSync(path)
    } catch (err) {
      const e = err as NodeJS.ErrnoException
      throw new Error(`failed to create test input ${index}: ${e.code === 'ENOENT' ? `open ${path}: no such file or directory` : e.message}`)
    }
  }
  const msg = new Message(content)
  if (spec.metadata) {
    const meta = msg.metaMut()
    for (const [k, v] of Object.entries(spec.metadata)) meta.set(k, fromPlain(v))
  }
  return msg
}
