/** Core-owned method families (type conversions, objects and arrays). */
import type { MethodDef } from '../registry.js'
import { collectionMethods } from './collections.js'
import { conversionMethods } from './conversions.js'

export const coreMethods: MethodDef[] = [...conversionMethods, ...collectionMethods]
