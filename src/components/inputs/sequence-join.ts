/**
 * The `sequence` input's sharded join (experimental in the reference): structured messages are
 * merged by the string at `id_path`, one shard of ids per iteration (xxhash64 of the id modulo
 * `iterations`), with `merge_strategy` deciding field collisions. A `full-outer` join emits every
 * joined message at the end of its iteration; an `outer` join emits a message's join each time
 * one with its id comes from the last input of the sequence.
 */
import { Message } from '../../message/message.js'
import { deepCopy } from '../../value/index.js'
import { isObject, type Value, type VObject } from '../../value/value-types.js'
import { xxhash64 } from '../../bloblang/encoding/checksums.js'
import { invalid } from '../shared/field-error.js'

type Collide = (dest: Value, source: Value) => Value

const COLLISIONS: Record<string, Collide> = {
  array: (dest, source) => {
    const d = Array.isArray(dest) ? dest : [dest]
    return Array.isArray(source) ? [...d, ...source] : [...d, source]
  },
  replace: (_dest, source) => source,
  keep: (dest) => dest,
}

export interface JoinConf {
  type: string
  id_path: string
  iterations: number
  merge_strategy: string
}

interface Joined {
  fields: VObject
  meta: Map<string, Value>
}

export class Joiner {
  readonly iterations: number
  readonly #flushOnLast: boolean
  readonly #idPath: string[]
  readonly #collide: Collide
  readonly #messages = new Map<string, Joined>()
  #iteration = 0

  private constructor(flushOnLast: boolean, idPath: string[], iterations: number, collide: Collide) {
    this.#flushOnLast = flushOnLast
    this.#idPath = idPath
    this.iterations = iterations
    this.#collide = collide
  }

  /** undefined for `type: none`; throws a located error for a bad join config. */
  static of(c: JoinConf): Joiner | undefined {
    let flushOnLast: boolean
    switch (c.type) {
      case 'none':
        return undefined
      case 'full-outer':
      case 'full-outter':
        flushOnLast = false
        break
      case 'outer':
      case 'outter':
        flushOnLast = true
        break
      default:
        throw invalid('sharded_join.type', `invalid sharded join config: join type '${c.type}' was not recognised`)
    }
    if (c.id_path === '') throw invalid('sharded_join.id_path', 'invalid sharded join config: the id path must not be empty')
    if (c.iterations <= 0) throw invalid('sharded_join.iterations', `invalid sharded join config: invalid number of iterations: ${c.iterations}`)
    const collide = COLLISIONS[c.merge_strategy]
    if (!collide) throw invalid('sharded_join.merge_strategy', `invalid sharded join config: merge strategy '${c.merge_strategy}' was not recognised`)
    return new Joiner(flushOnLast, dotPath(c.id_path), c.iterations, collide)
  }

  get iteration(): number {
    return this.#iteration
  }

  /** Joins each structured message of `batch` in this iteration's shard; `emit` gets `outer` joins. */
  add(batch: readonly Message[], lastInSequence: boolean, emit: (m: Message) => void): void {
    for (const m of batch) {
      let incoming: Value
      try {
        incoming = m.structured()
      } catch {
        continue
      }
      if (!isObject(incoming)) continue
      const id = at(incoming, this.#idPath)
      if (typeof id !== 'string' || id === '') continue
      if (Number(xxhash64(new TextEncoder().encode(id)) % BigInt(this.iterations)) !== this.#iteration) continue
      const fields = deepCopy(incoming) as VObject
      const known = this.#messages.get(id)
      if (!known) {
        const joined = { fields, meta: new Map(m.metadata) }
        this.#messages.set(id, joined)
        if (this.#flushOnLast && lastInSequence) emit(toMessage(joined))
        continue
      }
      remove(fields, this.#idPath)
      merge(known.fields, fields, this.#collide)
      for (const [k, v] of m.metadata) known.meta.set(k, v)
      if (this.#flushOnLast && lastInSequence) emit(toMessage(known))
    }
  }

  /** Ends the iteration: `full-outer` joins go to `emit`; true when it was the last iteration. */
  finish(emit: (m: Message) => void): boolean {
    for (const joined of this.#messages.values()) if (!this.#flushOnLast) emit(toMessage(joined))
    this.#messages.clear()
    this.#iteration++
    return this.#iteration >= this.iterations
  }
}

function toMessage(j: Joined): Message {
  const m = new Message(new Uint8Array(0), new Map(j.meta))
  m.setStructured(deepCopy(j.fields))
  return m
}

/** A dot path as gabs reads one (`~1` is a literal dot, `~0` a tilde). */
function dotPath(p: string): string[] {
  return p.split('.').map((s) => s.replaceAll('~1', '.').replaceAll('~0', '~'))
}

function at(v: Value, path: readonly string[]): Value | undefined {
  let cur: Value | undefined = v
  for (const k of path) {
    if (cur === undefined || !isObject(cur)) return undefined
    cur = cur[k]
  }
  return cur
}

function remove(v: VObject, path: readonly string[]): void {
  let cur: Value | undefined = v
  for (const k of path.slice(0, -1)) {
    if (cur === undefined || !isObject(cur)) return
    cur = cur[k]
  }
  if (cur !== undefined && isObject(cur)) delete cur[path[path.length - 1]!]
}

/** gabs `MergeFn`: objects merge recursively, anything else that collides goes through `collide`. */
function merge(dest: VObject, source: VObject, collide: Collide): void {
  for (const [k, v] of Object.entries(source)) {
    if (!(k in dest)) {
      dest[k] = v
      continue
    }
    const existing = dest[k]!
    if (isObject(v) && isObject(existing)) merge(existing, v, collide)
    else dest[k] = collide(existing, v)
  }
}
