/**
 * `read_until` input (spec components §9.1): forwards the child's transactions until `check` is
 * true for one (it is forwarded with metadata `benthos_read_until: final` on its first message,
 * and once it is acked the input ends; a nack keeps reading) or nothing arrives within
 * `idle_timeout`. With `restart_input` a child that ends first is built again (1 ms → 100 ms
 * back-off between restarts).
 */
import { compileMapping, type Mapping } from '../../bloblang/index.js'
import { END_OF_INPUT, defineComponent, f, type ComponentContext, type Input, type Logger, type ReadResult, type Transaction } from '../../spec/index.js'
import { buildChildInput, type ChildInput } from '../shared/child-input.js'
import { atField, invalid } from '../shared/field-error.js'
import { durationField } from '../shared/durations.js'
import { errorText } from '../shared/batch-error.js'
import { ConnectionWatchers } from '../../util/connection-watch.js'
import { Backoff, sleep } from '../../util/backoff.js'
import { abortError } from '../../util/channel.js'

export default defineComponent({
  kind: 'input',
  name: 'read_until',
  status: 'stable',
  summary:
    'Reads messages from a child input until a consumed message passes a Bloblang query, at which point the input closes. It is also possible to configure a timeout after which the input is closed if no new messages arrive in that period.',
  config: f.object('', [
    f.component('input', 'input', { description: 'The child input to consume from.' }),
    f.bloblang('check', { optional: true, description: 'A Bloblang query used to determine whether the input should close.' }),
    f.duration('idle_timeout', { optional: true, description: 'The maximum amount of time without receiving new messages after which the input is closed.' }),
    f.bool('restart_input', { default: false, description: 'Whether the input should be reopened if it closes itself before the condition has resolved to true.' }),
  ]),
  examples: [
    {
      title: 'Consume N messages',
      config: `input:
  read_until:
    check: count("messages") >= 100
    input:
      generate:
        interval: ''
        mapping: 'root = "hello"'
`,
      // The message that passes the check is the last one: exactly 100, then the input ends.
      output: Array.from({ length: 100 }, () => 'hello'),
    },
  ],
  build: async (c, ctx): Promise<Input> => {
    const check = c.check ? atField('check', () => compileMapping(c.check!, { configDir: ctx.configDir })) : undefined
    const idleMs = c.idle_timeout ? durationField('idle_timeout', c.idle_timeout) : undefined
    if (!check && idleMs === undefined) throw invalid('', 'it is required to set either check or idle_timeout')
    const make = (): Promise<ChildInput> => buildChildInput(ctx, c.input, 'read_until.input')
    return new ReadUntil(await make(), c.restart_input ? make : undefined, check, idleMs, ctx)
  },
})

class ReadUntil implements Input {
  #child: ChildInput | undefined
  readonly #restart: (() => Promise<ChildInput>) | undefined
  readonly #check: Mapping | undefined
  readonly #idleMs: number | undefined
  readonly #logger: Logger
  readonly #restartBackoff = new Backoff(1, 100, 1.5)
  readonly #watchers = new ConnectionWatchers()
  /** Resolves true when the final transaction was acked (the input then ends). */
  #final: Promise<boolean> | undefined
  #done = false

  constructor(child: ChildInput, restart: (() => Promise<ChildInput>) | undefined, check: Mapping | undefined, idleMs: number | undefined, ctx: ComponentContext) {
    this.#child = this.#watched(child)
    this.#restart = restart
    this.#check = check
    this.#idleMs = idleMs
    this.#logger = ctx.logger
  }

  connect(signal: AbortSignal): Promise<void> {
    return this.#child ? this.#child.connect(signal) : Promise.resolve()
  }

  connected(): boolean {
    return this.#child?.connected() ?? false
  }

  watchConnection(onChange: () => void): void {
    this.#watchers.add(onChange)
  }

  async read(signal: AbortSignal): Promise<ReadResult> {
    for (;;) {
      if (this.#final) {
        const acked = await this.#final
        this.#final = undefined
        if (acked) this.#done = true
      }
      if (this.#done) return END_OF_INPUT
      const child = await this.#current(signal)
      if (!child) return END_OF_INPUT
      const r = await this.#readWithin(child, signal)
      if (r === 'idle') {
        this.#logger.info('Idle timeout reached')
        this.#done = true
        return END_OF_INPUT
      }
      if (r === END_OF_INPUT) {
        void child.close()
        this.#child = undefined
        this.#watchers.notify()
        continue
      }
      this.#restartBackoff.reset()
      if (!this.#passes(r)) return r
      r.batch[0]?.metaMut().set('benthos_read_until', 'final')
      let settle!: (ok: boolean) => void
      this.#final = new Promise((resolve) => (settle = resolve))
      return {
        batch: r.batch,
        ack: (err) => {
          r.ack(err)
          settle(err === undefined)
        },
      }
    }
  }

  async close(): Promise<void> {
    this.#done = true
    await this.#child?.close()
  }

  /** The child to read, built again after it ended when `restart_input` is set. */
  async #current(signal: AbortSignal): Promise<ChildInput | undefined> {
    if (this.#child) return this.#child
    if (!this.#restart) return undefined
    if (!(await sleep(this.#restartBackoff.next(), signal))) throw abortError(signal)
    try {
      this.#child = this.#watched(await this.#restart())
    } catch (err) {
      this.#logger.error(`Failed to create input: ${errorText(err)}`)
      return undefined
    }
    return this.#child
  }

  /** `child`, telling this input's watchers of its changes (a restarted one is another child). */
  #watched(child: ChildInput): ChildInput {
    this.#watchers.follow(child, () => child === this.#child)
    return child
  }

  #passes(tx: Transaction): boolean {
    if (!this.#check) return false
    try {
      return this.#check.queryBool(tx.batch, 0)
    } catch (err) {
      this.#logger.error(`Failed to execute check query: ${errorText(err)}`)
      return false
    }
  }

  #readWithin(child: ChildInput, signal: AbortSignal): Promise<ReadResult | 'idle'> {
    if (this.#idleMs === undefined || this.#idleMs <= 0) return child.read(signal)
    const idle = new AbortController()
    const onAbort = (): void => idle.abort(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(() => idle.abort(IDLE), this.#idleMs)
    return child.read(idle.signal).then(
      (r) => r,
      (err: unknown) => {
        if (idle.signal.reason === IDLE && !signal.aborted) return 'idle' as const
        throw err
      },
    ).finally(() => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    })
  }
}

const IDLE = new Error('idle timeout')
