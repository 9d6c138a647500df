/**
 * What generated code calls: the same operations, error texts and statement semantics as the
 * closure compiler, as one object of plain functions (bound to locals of each generated factory).
 */
import { loadSelf, loadSelfOrNull, loadSelfUnboxed } from '../compile-support.js'
import { UNPARSED, boxRead, type ExecContext } from '../context.js'
import { goFormatV, goTypeOf } from '../fmt/index.js'
import * as ops from '../operators.js'
import { getPath } from '../paths.js'
import { assignValue, letValue, metaValue } from '../statements.js'
import { deepCopy, valuesEqual } from '../../value/equality.js'
import { MappingError, errFrom, errorMessage } from '../../value/value-errors.js'
import { elementFailure } from '../methods/collections.js'
import { DELETE, NOTHING, getKey, isObject, type Result } from '../../value/value-types.js'

/** `v.k` (one segment): objects directly, anything else through the generic walk; missing is null. */
function key1(v: Result, k: string, path: string[]): Result {
  if (isObject(v)) {
    const x = getKey(v, k)
    return x === undefined ? null : x
  }
  return getPath(v, path) ?? null
}

function path(v: Result, segs: string[]): Result {
  return getPath(v, segs) ?? null
}

function variable(c: ExecContext, name: string): Result {
  const v = c.vars.get(name)
  if (v === undefined) throw new MappingError(`variable '${name}' undefined`)
  return v
}

function meta(c: ExecContext, key: string): Result {
  const v = c.meta?.get(key)
  return v === undefined ? null : v
}

function nonBool(ann: string, v: Result): MappingError {
  return new MappingError(`${ann} resolved to a non-boolean value ${goFormatV(v)} (${goTypeOf(v)})`)
}

export const RT = {
  UNPARSED,
  NOTHING,
  DELETE,
  loadSelf,
  loadSelfOrNull,
  loadSelfUnboxed,
  boxRead,
  key1,
  path,
  isObject,
  deepCopy,
  variable,
  meta,
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  mod: ops.mod,
  compare: ops.compare,
  equal: ops.opEqual,
  boolOperand: ops.boolOperand,
  notValue: ops.notValue,
  valuesEqual,
  errFrom,
  elementFailure,
  nonBool,
  /** `if` expression condition failures (the reference numbers them from the second branch on). */
  ifExprCondError: (i: number, err: unknown) => new MappingError(`failed to check if condition${i === 0 ? '' : ` ${i}`}: ${errorMessage(err)}`),
  ifStmtCondError: (i: number, err: unknown) => new MappingError(`failed to check if condition ${i + 1}: ${errorMessage(err)}`),
  matchCaseError: (i: number, err: unknown) => new MappingError(`failed to check match case ${i}: ${errorMessage(err)}`),
  valueError: (k: string, err: unknown) => new MappingError(`failed to resolve '${k}' value: ${errorMessage(err)}`),
  assignValue,
  metaValue,
  letValue,
}

export type Runtime = typeof RT
