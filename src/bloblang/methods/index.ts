/** Every method family, collected explicitly (no registration by import side effect). */
import type { MethodDef } from '../registry.js'
import { coreMethods } from './core.js'
import { encodingMethods } from './encoding.js'
import { numberMethods } from './numbers.js'
import { regexMethods } from './regex.js'
import { schemaMethods } from './schema.js'
import { stringMethods } from './strings.js'
import { timeMethods } from './time.js'

export const allMethods: readonly MethodDef[] = [
  ...coreMethods,
  ...stringMethods,
  ...regexMethods,
  ...numberMethods,
  ...encodingMethods,
  ...timeMethods,
  ...schemaMethods,
]
