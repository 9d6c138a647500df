/**
 * Validation with gojsonschema's semantics: the order failures are found in, the `score` that
 * picks which branch of a failed `anyOf`/`oneOf`/`contains` has its failures reported (the one
 * that came closest), and version 1.2.0's rule that a known `format` on a number always fails.
 */
import { re2Test } from '../regex/index.js'
import type { SubSchema } from './compile.js'
import { decCompare, decIsMultiple, formatDec } from './decimal.js'
import { canonical, docType, isMap, Num, type Doc, type DocMap } from './document.js'
import { formatMatches } from './formats.js'
import { Context, violation, type Violation } from './messages.js'

class Result {
  readonly errors: Violation[] = []
  score = 0
  /** A failure: the reference's net -1 once the check's own +1 follows. */
  fail(ctx: Context, description: string, property?: string): void {
    this.errors.push(violation(ctx, description, property))
    this.score -= 2
  }
  merge(other: Result): void {
    for (const e of other.errors) this.errors.push(e)
    this.score += other.score
  }
  get valid(): boolean {
    return this.errors.length === 0
  }
}

function sub(s: SubSchema, node: Doc, ctx: Context): Result {
  const r = new Result()
  walk(s, node, r, ctx)
  return r
}

function typeString(types: readonly string[]): string {
  return types.length > 1 ? `[${types.join(',')}]` : types[0]!
}

function walk(s: SubSchema, node: Doc, r: Result, ctx: Context): void {
  if (s.pass !== undefined) {
    if (!s.pass) r.fail(ctx, 'False always fails validation')
    return
  }
  if (s.refSchema !== undefined) {
    walk(s.refSchema, node, r, ctx)
    return
  }
  const given = docType(node)
  if (s.types.length > 0) {
    const ok = s.types.includes(given) || (given === 'integer' && s.types.includes('number'))
    if (!ok) {
      r.fail(ctx, `Invalid type. Expected: ${typeString(s.types)}, given: ${given}`)
      return
    }
  }
  combinators(s, node, r, ctx)
  if (node instanceof Num) {
    numberChecks(s, node, r, ctx)
    common(s, node, r, ctx)
  } else if (Array.isArray(node)) {
    arrayChecks(s, node, r, ctx)
    common(s, node, r, ctx)
  } else if (isMap(node)) {
    objectChecks(s, node, r, ctx)
    common(s, node, r, ctx)
    for (const p of s.properties) {
      const v = node.get(p.name)
      if (v !== undefined) walk(p.schema, v, r, new Context(p.name, ctx))
    }
  } else {
    common(s, node, r, ctx)
    if (typeof node === 'string') stringChecks(s, node, r, ctx)
  }
  r.score++
}

function combinators(s: SubSchema, node: Doc, r: Result, ctx: Context): void {
  if (s.anyOf.length > 0) {
    let best: Result | undefined
    let ok = false
    for (const alt of s.anyOf) {
      const res = sub(alt, node, ctx)
      if (res.valid) {
        ok = true
        break
      }
      if (best === undefined || res.score > best.score) best = res
    }
    if (!ok) {
      r.fail(ctx, 'Must validate at least one schema (anyOf)')
      if (best !== undefined) r.merge(best)
    }
  }
  if (s.oneOf.length > 0) {
    let passed = 0
    let best: Result | undefined
    for (const alt of s.oneOf) {
      const res = sub(alt, node, ctx)
      if (res.valid) passed++
      else if (passed === 0 && (best === undefined || res.score > best.score)) best = res
    }
    if (passed !== 1) {
      r.fail(ctx, 'Must validate one and only one schema (oneOf)')
      if (passed === 0 && best !== undefined) r.merge(best)
    }
  }
  if (s.allOf.length > 0) {
    let passed = 0
    for (const alt of s.allOf) {
      const res = sub(alt, node, ctx)
      if (res.valid) passed++
      r.merge(res)
    }
    if (passed !== s.allOf.length) r.fail(ctx, 'Must validate all the schemas (allOf)')
  }
  if (s.not !== undefined && sub(s.not, node, ctx).valid) r.fail(ctx, 'Must not validate the schema (not)')
  if (s.dependencies !== undefined && s.dependencies.size > 0 && isMap(node)) {
    for (const key of node.keys()) {
      const dep = s.dependencies.get(key)
      if (dep === undefined) continue
      if (Array.isArray(dep)) {
        for (const needed of dep) if (!node.has(needed)) r.fail(ctx, `Has a dependency on ${needed}`)
      } else {
        walk(dep, node, r, ctx)
      }
    }
  }
  if (s.if !== undefined) {
    const cond = sub(s.if, node, ctx).valid
    const branch = cond ? s.then : s.else
    if (branch !== undefined) {
      const res = sub(branch, node, ctx)
      if (!res.valid) {
        r.fail(ctx, cond ? 'Must validate "then" as "if" was valid' : 'Must validate "else" as "if" was not valid')
        r.merge(res)
      }
    }
  }
  r.score++
}

function common(s: SubSchema, node: Doc, r: Result, ctx: Context): void {
  if (s.constKey !== undefined || s.enumKeys.length > 0) {
    const key = canonical(node)
    if (s.constKey !== undefined && key !== s.constKey) r.fail(ctx, `${ctx.field} does not match: ${s.constKey}`)
    if (s.enumKeys.length > 0 && !s.enumKeys.includes(key)) r.fail(ctx, `${ctx.field} must be one of the following: ${s.enumKeys.join(', ')}`)
  }
  r.score++
}

function arrayChecks(s: SubSchema, arr: Doc[], r: Result, ctx: Context): void {
  if (s.itemsIsSingle) {
    for (let i = 0; i < arr.length; i++) r.merge(sub(s.items[0]!, arr[i]!, new Context(String(i), ctx)))
  } else if (s.items.length > 0) {
    const n = Math.min(s.items.length, arr.length)
    for (let i = 0; i < n; i++) r.merge(sub(s.items[i]!, arr[i]!, new Context(String(i), ctx)))
    if (s.items.length < arr.length) {
      const extra = s.additionalItems
      if (extra === false) r.fail(ctx, 'No additional items allowed on array')
      else if (extra !== undefined && extra !== true) {
        for (let i = s.items.length; i < arr.length; i++) r.merge(sub(extra, arr[i]!, new Context(String(i), ctx)))
      }
    }
  }
  if (s.minItems !== undefined && arr.length < s.minItems) r.fail(ctx, `Array must have at least ${s.minItems} items`)
  if (s.maxItems !== undefined && arr.length > s.maxItems) r.fail(ctx, `Array must have at most ${s.maxItems} items`)
  if (s.uniqueItems) {
    const seen = new Map<string, number>()
    for (let j = 0; j < arr.length; j++) {
      const key = canonical(arr[j]!)
      const i = seen.get(key)
      if (i !== undefined) r.fail(ctx, `array items[${i},${j}] must be unique`)
      seen.set(key, j)
    }
  }
  if (s.contains !== undefined) {
    let found = false
    let best: Result | undefined
    for (let i = 0; i < arr.length; i++) {
      const res = sub(s.contains, arr[i]!, new Context(String(i), ctx))
      if (res.valid) {
        found = true
        break
      }
      if (best === undefined || res.score > best.score) best = res
    }
    if (!found) {
      r.fail(ctx, 'At least one of the items must match')
      if (best !== undefined) r.merge(best)
    }
  }
  r.score++
}

function objectChecks(s: SubSchema, obj: DocMap, r: Result, ctx: Context): void {
  if (s.minProperties !== undefined && obj.size < s.minProperties) r.fail(ctx, `Must have at least ${s.minProperties} properties`)
  if (s.maxProperties !== undefined && obj.size > s.maxProperties) r.fail(ctx, `Must have at most ${s.maxProperties} properties`)
  for (const name of s.required) {
    if (obj.has(name)) r.score++
    else r.fail(ctx, `${name} is required`, name)
  }
  for (const [key, value] of obj) {
    const described = s.properties.some((p) => p.name === key)
    let matched = false
    if (s.patternProperties !== undefined) {
      for (const pp of s.patternProperties) {
        if (!re2Test(pp.pattern.re, key)) continue
        matched = true
        r.merge(sub(pp.schema, value, new Context(key, ctx)))
      }
      if (matched) r.score++
    }
    if (described || matched) continue
    const extra = s.additionalProperties
    if (extra === false) r.fail(ctx, `Additional property ${key} is not allowed`, key)
    else if (extra !== undefined && extra !== true) r.merge(sub(extra, value, new Context(key, ctx)))
  }
  if (s.propertyNames !== undefined) {
    for (const key of obj.keys()) {
      const res = sub(s.propertyNames, key, ctx)
      if (!res.valid) {
        r.fail(ctx, `Property name of "${key}" does not match`, key)
        r.merge(res)
      }
    }
  }
  r.score++
}

/** Go's utf8.RuneCount for a string that came from JSON text. */
function runeCount(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

function stringChecks(s: SubSchema, str: string, r: Result, ctx: Context): void {
  if (s.minLength !== undefined || s.maxLength !== undefined) {
    const n = runeCount(str)
    if (s.minLength !== undefined && n < s.minLength) r.fail(ctx, `String length must be greater than or equal to ${s.minLength}`)
    if (s.maxLength !== undefined && n > s.maxLength) r.fail(ctx, `String length must be less than or equal to ${s.maxLength}`)
  }
  if (s.pattern !== undefined && !re2Test(s.pattern.re, str)) r.fail(ctx, `Does not match pattern '${s.pattern.source}'`)
  if (s.format !== '' && !formatMatches(s.format, str)) r.fail(ctx, `Does not match format '${s.format}'`)
  r.score++
}

function numberChecks(s: SubSchema, num: Num, r: Result, ctx: Context): void {
  const d = num.dec
  if (s.multipleOf !== undefined && !decIsMultiple(d, s.multipleOf)) r.fail(ctx, `Must be a multiple of ${formatDec(s.multipleOf)}`)
  if (s.maximum !== undefined && decCompare(d, s.maximum) > 0) r.fail(ctx, `Must be less than or equal to ${formatDec(s.maximum)}`)
  if (s.exclusiveMaximum !== undefined && decCompare(d, s.exclusiveMaximum) >= 0) r.fail(ctx, `Must be less than ${formatDec(s.exclusiveMaximum)}`)
  if (s.minimum !== undefined && decCompare(d, s.minimum) < 0) r.fail(ctx, `Must be greater than or equal to ${formatDec(s.minimum)}`)
  if (s.exclusiveMinimum !== undefined && decCompare(d, s.exclusiveMinimum) <= 0) r.fail(ctx, `Must be greater than ${formatDec(s.exclusiveMinimum)}`)
  // gojsonschema 1.2.0 hands format checkers the number itself, which no known format accepts.
  if (s.format !== '' && !formatMatches(s.format, undefined)) r.fail(ctx, `Does not match format '${s.format}'`)
  r.score++
}

/** Every failure of `doc` against the compiled schema, in the reference's order. */
export function validateDoc(schema: SubSchema, doc: Doc, root: Context): Violation[] {
  return sub(schema, doc, root).errors
}
