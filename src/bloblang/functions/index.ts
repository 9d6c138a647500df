/** Every function family, collected explicitly. */
import type { FunctionDef } from '../registry.js'
import { environmentFunctions } from './environment.js'
import { generalFunctions } from './general.js'
import { messageFunctions } from './message.js'

export const allFunctions: readonly FunctionDef[] = [...messageFunctions, ...generalFunctions, ...environmentFunctions]
