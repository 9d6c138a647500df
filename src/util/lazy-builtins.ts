/**
 * Node built-ins loaded on first use. Node compiles its internal modules once per thread, and every
 * stream thread loads Bloblang: a top-level `import 'node:crypto'` there cost each thread ~3 ms
 * (node:zlib ~0.5 ms) of a ~50 ms start, for functions few mappings ever call.
 */
import type * as Crypto from 'node:crypto'
import type * as Net from 'node:net'
import type * as Zlib from 'node:zlib'

let cryptoModule: typeof Crypto | undefined
let zlibModule: typeof Zlib | undefined
let netModule: typeof Net | undefined

export const crypto = (): typeof Crypto => (cryptoModule ??= process.getBuiltinModule('node:crypto'))
export const zlib = (): typeof Zlib => (zlibModule ??= process.getBuiltinModule('node:zlib'))
export const net = (): typeof Net => (netModule ??= process.getBuiltinModule('node:net'))
