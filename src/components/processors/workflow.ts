/**
 * `workflow` processor (spec components §9.2): runs a set of branches in dependency tiers, the
 * branches of a tier concurrently. The tiers come from `order`, or are inferred from what each
 * branch's `request_map` reads and its `result_map` writes. With `meta_path` set, each message
 * records which branches succeeded, were skipped or failed (and replays skip what already
 * succeeded); without it a failed branch flags the message.
 */
import { dotPathToSlice, getPath, setPathIn } from '../../bloblang/paths.js'
import type { Value, VObject } from '../../value/value-types.js'
import type { Batch, Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { BranchCore, branchFields, type BranchConf, type BranchResult } from '../shared/branch-core.js'
import { drive, isPromise, type Steps } from '../shared/maybe-async.js'
import { invalid } from '../shared/field-error.js'

const STAGE_NAME = /^[a-zA-Z0-9-_]+$/

export default defineComponent({
  kind: 'processor',
  name: 'workflow',
  status: 'stable',
  summary: 'Executes a topology of `branch` processors, performing them in parallel where possible.',
  config: f.object('', [
    f.string('meta_path', {
      default: 'meta.workflow',
      description: 'A dot path indicating where to store and reference structured metadata about the workflow execution.',
    }),
    f.any('order', {
      default: [],
      description:
        'An explicit declaration of branch ordered tiers, which describes the order in which parallel tiers of branches should be executed. Branches should be identified by the name as they are configured in the field `branches`. It is also possible to specify branch processors configured as a resource.',
      lint: (v) => (isListOfLists(v) ? [] : [`expected array of string arrays, got ${JSON.stringify(v)}`]),
    }),
    f.array(
      f.string('branch_resources', {
        default: [],
        advanced: true,
        description: 'An optional list of `branch` processor names that are configured as resources, included in the workflow with automatic DAG resolution.',
      }),
    ),
    f.map(
      f.object('branches', branchFields, {
        description: 'An object of named `branch` processors that make up the workflow.',
      }),
    ),
  ]),
  examples: [
    {
      title: 'Automatic ordering',
      config: `pipeline:
  processors:
    - workflow:
        meta_path: meta.workflow
        branches:
          foo:
            request_map: 'root = this.n'
            processors:
              - mapping: 'root = this + 1'
            result_map: 'root.foo = this'
          bar:
            request_map: 'root = this.foo'
            processors:
              - mapping: 'root = this * 10'
            result_map: 'root.bar = this'
`,
      input: ['{"n":1}'],
      output: ['{"bar":20,"foo":2,"meta":{"workflow":{"succeeded":["bar","foo"]}},"n":1}'],
    },
  ],
  build: async (c, ctx): Promise<Processor> => {
    const metaPath = c.meta_path === '' ? [] : dotPathToSlice(c.meta_path)
    if (!isListOfLists(c.order)) throw invalid('order', `expected array of string arrays, got ${JSON.stringify(c.order)}`)
    const order = c.order
    const branches = new Map<string, BranchCore>()
    const closeBuilt = async (): Promise<void> => {
      for (const b of branches.values()) await b.close()
    }
    let establishError: string | undefined
    let dag: string[][]
    try {
      for (const [k, v] of Object.entries(c.branches)) {
        if (!STAGE_NAME.test(k)) throw invalid(`branches.${k}`, `workflow branch name '${k}' contains invalid characters`)
        branches.set(k, await BranchCore.build(v, ctx, `branches.${k}.`, `workflow.branches.${k}.`))
      }
      const resourceNames: string[] = []
      for (const [i, k] of c.branch_resources.entries()) {
        if (branches.has(k)) throw invalid(`branch_resources[${i}]`, `branch resource name '${k}' collides with an explicit branch`)
        if (!ctx.resources.componentConfig('processor', k)) throw invalid(`branch_resources[${i}]`, `processor resource '${k}' was not found`)
        resourceNames.push(k)
      }
      for (const [i, tier] of order.entries()) {
        for (const [j, k] of tier.entries()) {
          if (branches.has(k) || resourceNames.includes(k)) continue
          if (!ctx.resources.componentConfig('processor', k)) throw invalid(`order[${i}][${j}]`, `processor resource '${k}' was not found`)
          resourceNames.push(k)
        }
      }
      // Resources are built here, once: a stream's resources change only with a restart.
      for (const k of resourceNames) {
        const conf = branchConfOf(ctx.resources.componentConfig('processor', k))
        if (conf === undefined) {
          establishError ??= `missing branch resource: ${k}`
          continue
        }
        branches.set(k, await BranchCore.build(conf, ctx, `branch_resources.${k}.`, `workflow.branch_resources.${k}.`))
      }
      const names = [...branches.keys(), ...resourceNames.filter((k) => !branches.has(k))]
      if (order.length > 0) {
        verifyOrder(order, names)
        dag = order
      } else {
        const resolved = resolveDag(branches)
        if (typeof resolved === 'string') {
          // Inline branches alone can be checked now; with resources the reference fails each batch.
          if (resourceNames.length === 0) throw invalid('branches', resolved)
          establishError ??= `failed to resolve DAG: ${resolved}`
          dag = []
        } else {
          dag = resolved
          if (resourceNames.length === 0) ctx.logger.info(`Automatically resolved workflow DAG: [${dag.map((l) => `[${l.join(' ')}]`).join(' ')}]`)
        }
      }
    } catch (err) {
      await closeBuilt()
      throw err
    }
    const allStages = new Set([...branches.keys(), ...c.branch_resources, ...order.flat()])
    const errors = ctx.metrics.counter('processor_error')
    function* steps(batch: Batch): Steps<Batch[]> {
      const msgs: Message[] = [...batch]
      if (establishError !== undefined) {
        errors.inc()
        ctx.logger.error(`Failed to establish workflow: ${establishError}`)
        for (const m of msgs) m.error = { message: establishError }
        return [msgs]
      }
      const skips = msgs.map((m) => {
        try {
          return skipFromMeta(m.structured(), metaPath, allStages)
        } catch {
          return new Set<string>()
        }
      })
      const records = msgs.map(() => new Tracker(dag))
      for (const layer of dag) {
        yield* layerSteps(ctx, layer, branches, msgs, skips, records, errors)
      }
      if (metaPath.length > 0) {
        for (let i = 0; i < msgs.length; i++) writeRecord(ctx, msgs[i]!, metaPath, records[i]!, errors)
      } else {
        for (let i = 0; i < msgs.length; i++) {
          const failed = Object.keys(records[i]!.failed).sort()
          if (failed.length > 0) msgs[i]!.error = { message: `workflow branches failed: [${failed.join(' ')}]` }
        }
      }
      return [msgs]
    }
    return {
      synchronous: [...branches.values()].every((b) => b.synchronous),
      process: (batch: Batch) => drive(steps(batch)),
      close: closeBuilt,
    }
  },
})

/**
 * One tier: its branches start together (each runs until it first has to wait), then their
 * results are mapped onto the messages in tier order.
 */
function* layerSteps(
  ctx: ComponentContext,
  layer: readonly string[],
  branches: ReadonlyMap<string, BranchCore>,
  msgs: Message[],
  skips: readonly Set<string>[],
  records: readonly Tracker[],
  errors: { inc(n?: number): void },
): Steps<void> {
  const reference = [...msgs]
  const started = layer.map((id) => {
    const parts = reference.map((m, j) => {
      if (skips[j]!.has(id)) return undefined
      const p = m.copy()
      p.error = undefined
      return p
    })
    return drive(branches.get(id)!.createResult(parts, reference))
  })
  let results: BranchResult[]
  if (started.some(isPromise)) {
    const settled = (yield Promise.allSettled(started)) as PromiseSettledResult<BranchResult>[]
    const stopped = settled.find((s) => s.status === 'rejected')
    if (stopped) throw stopped.reason
    results = settled.map((s) => (s as PromiseFulfilledResult<BranchResult>).value)
  } else results = started as BranchResult[]
  for (const [i, id] of layer.entries()) {
    const r = results[i]!
    if (r.batchError === undefined) for (let j = 0; j < r.results.length; j++) if (r.results[j] === undefined) records[j]!.skip(id)
    for (const e of r.errors) records[e.index]!.fail(id, e.error)
  }
  for (const [i, id] of layer.entries()) {
    const r = results[i]!
    let batchError = r.batchError
    if (batchError === undefined) {
      const o = branches.get(id)!.overlay(msgs, r.results)
      batchError = o.batchError
      for (const e of o.errors) records[e.index]!.fail(id, e.error)
    }
    if (batchError !== undefined) {
      errors.inc()
      ctx.logger.error(`Failed to perform enrichment '${id}': ${batchError}`)
      for (const rec of records) rec.fail(id, batchError)
    }
  }
}

/** What happened to each branch for one message. */
class Tracker {
  readonly succeeded = new Set<string>()
  readonly skipped = new Set<string>()
  readonly failed: Record<string, string> = {}

  constructor(dag: readonly (readonly string[])[]) {
    for (const layer of dag) for (const k of layer) this.succeeded.add(k)
  }

  skip(k: string): void {
    this.succeeded.delete(k)
    this.skipped.add(k)
  }

  fail(k: string, why: string): void {
    this.succeeded.delete(k)
    this.skipped.delete(k)
    this.failed[k] = why
  }

  toObject(): VObject {
    const o: VObject = {}
    if (this.succeeded.size > 0) o.succeeded = [...this.succeeded].sort()
    if (this.skipped.size > 0) o.skipped = [...this.skipped].sort()
    if (Object.keys(this.failed).length > 0) o.failed = { ...this.failed }
    return o
  }
}

function writeRecord(ctx: ComponentContext, m: Message, metaPath: readonly string[], rec: Tracker, errors: { inc(): void }): void {
  let root: Value
  try {
    root = m.structuredMut()
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err)
    errors.inc()
    ctx.logger.error(`Failed to parse message for meta update: ${text}`)
    m.error = { message: text }
    return
  }
  const current = rec.toObject()
  const previous = getPath(root, metaPath)
  if (previous !== undefined && previous !== null) current.previous = previous
  try {
    setPathIn(root, metaPath, current)
  } catch {
    // The reference ignores a path that collides with a non-object value.
  }
  m.setStructured(root)
}

function skipFromMeta(root: Value, metaPath: readonly string[], allStages: ReadonlySet<string>): Set<string> {
  const skip = new Set<string>()
  if (metaPath.length === 0) return skip
  const strings = (seg: string): string[] | undefined => {
    const v = getPath(root, [...metaPath, seg])
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined
  }
  for (const id of strings('skipped') ?? []) if (allStages.has(id)) skip.add(id)
  const apply = strings('apply')
  const applyRaw = getPath(root, [...metaPath, 'apply'])
  if (apply !== undefined && Array.isArray(applyRaw) && applyRaw.length > 0) {
    for (const k of allStages) skip.add(k)
    for (const id of apply) skip.delete(id)
  }
  for (const id of strings('succeeded') ?? []) if (allStages.has(id)) skip.add(id)
  return skip
}

function verifyOrder(order: readonly (readonly string[])[], names: readonly string[]): void {
  const remaining = new Set(names)
  const seen = new Set<string>()
  for (const [i, tier] of order.entries()) {
    if (tier.length === 0) throw invalid(`order[${i}]`, `explicit order tier '${i}' was empty`)
    for (const t of tier) {
      if (seen.has(t)) throw invalid('order', `branch specified in order listed multiple times: ${t}`)
      seen.add(t)
      remaining.delete(t)
    }
  }
  if (remaining.size > 0) throw invalid('order', `the following branches were missing from order: [${[...remaining].sort().join(' ')}]`)
}

/** Whether `provided` is a prefix of `wanted`. */
function hasPrefix(wanted: readonly string[], provided: readonly string[]): boolean {
  if (wanted.length < provided.length) return false
  return provided.every((s, i) => wanted[i] === s)
}

/**
 * Tiers from dependencies: a branch depends on every other branch whose result map writes a
 * prefix of something its request map reads. Returns the error text on a cycle. Names within a
 * tier are sorted (the reference leaves them in map order).
 */
export function resolveDag(branches: ReadonlyMap<string, BranchCore>): string[][] | string {
  const deps = new Map<string, Set<string>>()
  for (const [id, b] of branches) {
    const d = new Set<string>()
    for (const [k, other] of branches) {
      if (k === id) continue
      if (other.targetsProvided.some((tp) => b.targetsUsed.some((tn) => hasPrefix(tn, tp)))) d.add(k)
    }
    deps.set(id, d)
  }
  const layers: string[][] = []
  while (deps.size > 0) {
    const ready = [...deps].filter(([, d]) => d.size === 0).map(([k]) => k)
    if (ready.length === 0) {
      // The reference reports every branch when there is no valid sort at all.
      return `failed to automatically resolve DAG, circular dependencies detected for branches: [${[...branches.keys()].sort().join(' ')}]`
    }
    ready.sort()
    for (const k of ready) deps.delete(k)
    for (const d of deps.values()) for (const k of ready) d.delete(k)
    layers.push(ready)
  }
  return layers
}

function isListOfLists(v: unknown): v is string[][] {
  return Array.isArray(v) && v.every((t) => Array.isArray(t) && t.every((x) => typeof x === 'string'))
}

/** The branch fields of a processor resource's config, or undefined when it is not a `branch`. */
function branchConfOf(raw: unknown): BranchConf | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const r = raw as Record<string, unknown>
  if (r.type !== undefined && r.type !== 'branch') return undefined
  const b = r.branch
  if (typeof b !== 'object' || b === null) return undefined
  const o = b as Record<string, unknown>
  return {
    request_map: typeof o.request_map === 'string' ? o.request_map : '',
    processors: Array.isArray(o.processors) ? o.processors : [],
    result_map: typeof o.result_map === 'string' ? o.result_map : '',
  }
}
