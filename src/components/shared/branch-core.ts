/**
 * The machinery of a `branch` (spec components §6.11), shared by the `branch` processor and the
 * branches of a `workflow`: build request messages with `request_map`, run them through the
 * children, line the results back up with the originals, and map them onto the originals with
 * `result_map`. Per-message failures come back as values for the caller to flag.
 */
import { compileMapping, mapOnto, mappingTargets, type Mapping, type TargetPath } from '../../bloblang/index.js'
import { Message, type Batch } from '../../message/message.js'
import { f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { allSteps, allSynchronous, buildChildren, closeAll } from './child-processors.js'
import type { Steps } from './maybe-async.js'
import { atField, invalid } from './field-error.js'

/** The fields of a branch: the `branch` processor's config and each of a workflow's `branches`. */
export const branchFields = [
  f.bloblang('request_map', {
    default: '',
    description:
      'A Bloblang mapping that describes how to create a request payload suitable for the child processors of this branch. If left empty then the branch will begin with an exact copy of the origin message (including metadata).',
  }),
  f.array(
    f.component('processors', 'processor', {
      description:
        'A list of processors to apply to mapped requests. When processing message batches the resulting batch must match the size and ordering of the input batch, therefore filtering, grouping should not be performed within these processors.',
    }),
  ),
  f.bloblang('result_map', {
    default: '',
    description:
      'A Bloblang mapping that describes how the resulting messages from branched processing should be mapped back into the original payload. If left empty the origin message will remain unchanged (including metadata).',
  }),
] as const

export interface BranchConf {
  request_map: string
  processors: readonly unknown[]
  result_map: string
}

/** A failure of one message: its index and the error text. */
export interface MapError {
  index: number
  error: string
}

export interface BranchResult {
  /** Aligned with the request batch: undefined where the message was skipped or failed. */
  results: (Message | undefined)[]
  errors: MapError[]
  /** Set when the whole batch failed (then every message is flagged with it). */
  batchError?: string
}

export class BranchCore {
  readonly #ctx: ComponentContext
  readonly #request: Mapping | undefined
  readonly #result: Mapping | undefined
  readonly #children: Processor[]
  readonly #errors
  /** Dependency targets for workflows: `['path', ...]` or `['metadata', ...]`. */
  readonly targetsUsed: string[][]
  readonly targetsProvided: string[][]

  private constructor(ctx: ComponentContext, request: Mapping | undefined, result: Mapping | undefined, children: Processor[], used: string[][], provided: string[][]) {
    this.#ctx = ctx
    this.#request = request
    this.#result = result
    this.#children = children
    this.#errors = ctx.metrics.counter('processor_error')
    this.targetsUsed = used
    this.targetsProvided = provided
  }

  /**
   * @param fieldAt where this branch's fields sit relative to the component, for build errors
   *   (`''` for `branch`, `branches.foo.` in a workflow)
   * @param buildAt the same with the type key, for nested builds (`branch.`, `workflow.branches.foo.`)
   */
  static async build(c: BranchConf, ctx: ComponentContext, fieldAt: string, buildAt: string): Promise<BranchCore> {
    if (c.processors.length === 0) throw invalid(`${fieldAt}processors`, 'the branch processor requires at least one child processor')
    const compile = (field: 'request_map' | 'result_map', src: string): Mapping | undefined =>
      src === '' ? undefined : atField(`${fieldAt}${field}`, () => compileMapping(src, { configDir: ctx.configDir }))
    const request = compile('request_map', c.request_map)
    const result = compile('result_map', c.result_map)
    const used = request ? targetsOf(mappingTargets(c.request_map, { configDir: ctx.configDir }).queried) : []
    const provided = result ? targetsOf(mappingTargets(c.result_map, { configDir: ctx.configDir }).assigned) : []
    const children = await buildChildren(ctx, `${buildAt}processors`, c.processors)
    return new BranchCore(ctx, request, result, children, used, provided)
  }

  /**
   * Runs the branch for `parts` (copies of the messages of `reference` with their error flags
   * cleared; undefined = skip that message). Fails only when the stream stops.
   */
  *createResult(parts: (Message | undefined)[], reference: Batch): Steps<BranchResult> {
    const log = this.#ctx.logger
    const length = parts.length
    const skippedOrFailed: number[] = []
    const errors: MapError[] = []
    const requests: Message[] = []
    for (let i = 0; i < length; i++) {
      const p = parts[i]
      if (p === undefined) {
        skippedOrFailed.push(i)
        continue
      }
      if (this.#request === undefined) {
        requests.push(p)
        continue
      }
      p.setBytes(EMPTY)
      let kept: boolean
      try {
        kept = mapOnto(this.#request, p, reference, i)
      } catch (err) {
        const text = message(err)
        this.#errors.inc()
        log.debug(`Failed to map request '${i}': ${text}`)
        skippedOrFailed.push(i)
        errors.push({ index: i, error: `request mapping failed: ${text}` })
        continue
      }
      if (kept) requests.push(p)
      else skippedOrFailed.push(i)
    }
    let produced: Batch[] = []
    if (requests.length > 0) {
      produced = yield* allSteps(this.#ctx, this.#children, [requests])
      if (produced.length === 0) {
        const batchError = 'child processors resulted in zero messages'
        this.#errors.inc()
        log.error(`Child processors failed: ${batchError}`)
        return { results: [], errors, batchError }
      }
    }
    const flat = produced.flat()
    const total = flat.length + skippedOrFailed.length
    if (total !== length) {
      // The reference words it this way round: "started with" the count it ended up with.
      const batchError = `message count from branch processors does not match request, started with ${total} messages, finished with ${length}`
      this.#errors.inc()
      log.error(
        `Failed to align branch result: ${batchError}. Avoid using filters or archive/unarchive processors within your branch, or anything that increases or reduces the number of messages. These processors should instead be applied before or after the branch processor.`,
      )
      return { results: [], errors, batchError }
    }
    skippedOrFailed.sort((a, b) => a - b)
    const results: (Message | undefined)[] = new Array<Message | undefined>(length).fill(undefined)
    let s = 0
    for (let i = 0; i < flat.length; i++) {
      while (s < skippedOrFailed.length && skippedOrFailed[s] === i + s) s++
      results[i + s] = flat[i]
    }
    for (let i = 0; i < length; i++) {
      const r = results[i]
      if (r?.error !== undefined) {
        results[i] = undefined
        errors.push({ index: i, error: `processors failed: ${r.error.message}` })
      }
    }
    return { results, errors }
  }

  /**
   * Maps `results` onto the messages of `payload`, replacing them in the array. A result map that
   * fails leaves its message unchanged.
   */
  overlay(payload: Message[], results: (Message | undefined)[]): { errors: MapError[]; batchError?: string } {
    if (payload.length !== results.length) {
      this.#errors.inc()
      return {
        errors: [],
        batchError: `message count returned from branch has diverged from the request, started with ${results.length} messages, finished with ${payload.length}`,
      }
    }
    const errors: MapError[] = []
    if (this.#result === undefined) return { errors }
    const view = results.map((r) => r ?? PLACEHOLDER)
    for (let i = 0; i < results.length; i++) {
      if (results[i] === undefined) continue
      const target = payload[i]!.copy()
      try {
        if (mapOnto(this.#result, target, view, i)) payload[i] = target
      } catch (err) {
        const text = message(err)
        this.#errors.inc()
        this.#ctx.logger.debug(`Failed to map result '${i}': ${text}`)
        errors.push({ index: i, error: `result mapping failed: ${text}` })
      }
    }
    return { errors }
  }

  /** Whether the children all answer synchronously. */
  get synchronous(): boolean {
    return allSynchronous(this.#children)
  }

  close(): Promise<void> {
    return closeAll(this.#children)
  }
}

const EMPTY = new Uint8Array(0)
/** Stands in for skipped results in the batch a result map sees. */
const PLACEHOLDER = new Message(EMPTY)

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function targetsOf(paths: readonly TargetPath[]): string[][] {
  const out: string[][] = []
  for (const p of paths) {
    if (p.type === 'value') out.push(['path', ...p.path])
    else if (p.type === 'metadata') out.push(['metadata', ...p.path])
  }
  return out
}
