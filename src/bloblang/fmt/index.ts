/**
 * Go's fmt as Bloblang needs it: `fmt.Sprintf` for the `format` method, and the `%v` / `%T`
 * renderings that the reference puts in some error messages ("... resolved to a non-boolean
 * value 5 (int64)").
 */
import type { Result } from '../../value/value-types.js'
import { goTypeName, goVal } from './go-value.js'
import { goSprintf } from './sprintf.js'

export { goSprintf }

/** Go `%v` of the value's Go representation. */
export function goFormatV(v: Result): string {
  return goSprintf('%v', [v])
}

/** Go `%T` of the value's Go representation. */
export function goTypeOf(v: Result): string {
  return goTypeName(goVal(v))
}
