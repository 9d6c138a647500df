/**
 * Worker side of the Bloblang fuzz (run by bloblang.test.ts under a watchdog): every generated
 * mapping either compiles or fails with WeirError `BLOBLANG_PARSE` carrying a line and column;
 * every compiled mapping, on any input, gives a result or WeirError `BLOBLANG_RUNTIME`. Anything
 * else thrown (a TypeError from deep inside, a plain Error) is a bug and fails the property.
 */
import { parentPort, workerData } from 'node:worker_threads'
import fc from 'fast-check'
import { WeirError } from '../../src/errors.js'
import { compileMapping, fromPlain, type Mapping } from '../../src/bloblang/index.js'
import { Message } from '../../src/message/message.js'
import { CaseRecorder } from './watchdog.js'
import { checkProperty } from './settings.js'
import { content, mangled, mapping, metadata } from './bloblang-arb.js'

const { shared, params } = workerData as { shared: SharedArrayBuffer; params: fc.Parameters<unknown> }
const recorder = new CaseRecorder(shared)

function compile(src: string): Mapping | undefined {
  try {
    return compileMapping(src)
  } catch (err) {
    if (!(err instanceof WeirError)) throw new Error(`compile threw ${describe(err)} instead of a WeirError`)
    if (err.code !== 'BLOBLANG_PARSE') throw new Error(`compile failed with ${err.code}: ${err.message}`)
    if (!(Number.isInteger(err.data.line) && err.data.line! >= 1 && Number.isInteger(err.data.col) && err.data.col! >= 1)) {
      throw new Error(`parse error without a position: ${JSON.stringify(err.data)}`)
    }
    return undefined
  }
}

function run(m: Mapping, input: string | Uint8Array, meta: Record<string, unknown>): void {
  expectRuntime('mapping', () => {
    const out = m.apply({ content: input, metadata: meta })
    if (out !== undefined && !(out.content instanceof Uint8Array)) throw new Error('result content is not bytes')
  })
  // `mutation` edits the message in place (structuredMut): a different path through the runtime.
  expectRuntime('mutation', () => {
    const msg = new Message(typeof input === 'string' ? Buffer.from(input) : input, new Map(Object.entries(meta).map(([k, v]) => [k, fromPlain(v)])))
    if (m.execMutation([msg], 0)) msg.bytes()
  })
}

function expectRuntime(what: string, fn: () => void): void {
  try {
    fn()
  } catch (err) {
    if (!(err instanceof WeirError)) throw new Error(`${what} threw ${describe(err)} instead of a WeirError`)
    if (err.code !== 'BLOBLANG_RUNTIME') throw new Error(`${what} failed with ${err.code}: ${err.message}`)
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err)
}

const show = (src: string, input: string | Uint8Array): string => `mapping:\n${src}\ninput: ${typeof input === 'string' ? JSON.stringify(input) : `bytes ${Buffer.from(input).toString('hex')}`}`

const property = fc.property(fc.oneof({ weight: 4, arbitrary: mapping }, { weight: 1, arbitrary: mangled }), fc.array(fc.tuple(content, metadata), { minLength: 1, maxLength: 3 }), (src, inputs) => {
  recorder.run(
    () => show(src, inputs[0]![0]),
    () => {
      const m = compile(src)
      if (m) for (const [input, meta] of inputs) run(m, input, meta)
    },
  )
})

const { ok, report } = checkProperty(property, params)
parentPort!.postMessage({ ok, report, cases: recorder.cases, slowestMs: recorder.slowestMs })
