/**
 * The compression formats Node's zlib lacks (Node 20 has no zstd), each behind a typed function:
 * - zstd compress: `@bokuweb/zstd-wasm` (libzstd compiled to wasm, the .wasm ships in the package).
 *   Instantiated synchronously on first use so Bloblang's synchronous `compress` can call it and
 *   streams that never use zstd pay nothing (async `init()` costs ~80 ms per worker).
 * - zstd decompress: `fzstd` (pure JS, streams frames of unknown content size, which the wasm
 *   one-shot decoder only handles up to a fixed buffer).
 * - lz4 (frame format, as pierrec/lz4's Writer): `lz4js` (pure JS).
 * - bzip2 (decompress only, as the reference): `seek-bzip` (pure JS, multi-stream like Go's reader).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as Fzstd from 'fzstd'

const require = createRequire(import.meta.url)

interface Lz4js {
  compress(src: Uint8Array): ArrayLike<number>
  decompress(src: Uint8Array): ArrayLike<number>
}
interface SeekBzip {
  decode(input: Uint8Array, output?: undefined, multistream?: boolean): Uint8Array
}
/** The slice of the WebAssembly global used here (the lib settings carry no WebAssembly types). */
interface WasmInstance {
  exports: object
}
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => WasmInstance
}
interface ZstdModule {
  instantiateWasm?: (imports: object, receive: (i: WasmInstance) => void) => object
  init(): void
  calledRun?: boolean
}
type ZstdCompress = (buf: Uint8Array, level: number) => Uint8Array

// Loaded on first use: lz4js allocates 5 MB of hash tables when loaded, and every stream worker
// loads this module (Bloblang's compress/decompress methods), nearly all of them never using lz4.
let lz4Module: Lz4js | undefined
let bzipModule: SeekBzip | undefined
const lz4 = (): Lz4js => (lz4Module ??= require('lz4js') as Lz4js)
const bzip = (): SeekBzip => (bzipModule ??= require('seek-bzip') as SeekBzip)
// fzstd too: its tables cost every thread ~1 ms at load.
let fzstdModule: typeof Fzstd | undefined
const fzstd = (): typeof Fzstd => (fzstdModule ??= require('fzstd') as typeof Fzstd)

let zstdCompressFn: ZstdCompress | undefined

function loadZstd(): ZstdCompress {
  if (zstdCompressFn) return zstdCompressFn
  // The package exports only its entry point; its emscripten module sits beside it.
  const dir = dirname(require.resolve('@bokuweb/zstd-wasm'))
  const mod = (require(join(dir, 'module.js')) as { Module: ZstdModule }).Module
  const fn = (require(join(dir, 'simple', 'compress.js')) as { compress: ZstdCompress }).compress
  if (!mod.calledRun) {
    const bytes = readFileSync(join(dir, 'zstd.wasm'))
    mod.instantiateWasm = (imports, receive) => {
      const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly
      const inst = new wasm.Instance(new wasm.Module(bytes), imports)
      receive(inst)
      return inst.exports
    }
    mod.init()
    if (!mod.calledRun) throw new Error('zstd: wasm runtime failed to start')
  }
  zstdCompressFn = fn
  return fn
}

export function zstdCompress(data: Uint8Array, level: number): Uint8Array {
  return loadZstd()(data, level)
}

export function zstdDecompress(data: Uint8Array): Uint8Array {
  return fzstd().decompress(data)
}

export function lz4Compress(data: Uint8Array): Uint8Array {
  return Uint8Array.from(lz4().compress(data))
}

export function lz4Decompress(data: Uint8Array): Uint8Array {
  return Uint8Array.from(lz4().decompress(data))
}

export function bzip2Decode(data: Uint8Array): Uint8Array {
  const out = bzip().decode(Buffer.from(data.buffer, data.byteOffset, data.byteLength), undefined, true)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}
