/** Environment functions (spec §19, §23.1): env, hostname, files, clocks. */
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import { defineFunction, type FunctionDef } from '../registry.js'
import { MappingError } from '../../value/value-errors.js'
import { Timestamp, formatRfc3339Nano, localZone } from '../../value/timestamp.js'
import { makeInt } from '../../value/value-types.js'

function readFile(path: string, display: string): Uint8Array {
  try {
    const b = readFileSync(path)
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new MappingError(`open ${display}: no such file or directory`)
    throw new MappingError(`open ${display}: ${(err as Error).message}`)
  }
}

function fileFunction(name: 'file' | 'file_rel'): FunctionDef {
  return defineFunction({
    name,
    params: [
      { name: 'path', type: 'string' },
      { name: 'no_cache', type: 'bool', default: false },
    ],
    impure: true,
    ctor: (args, site) => {
      const p = args.string('path')
      const full = isAbsolute(p) ? p : name === 'file' ? resolve(process.cwd(), p) : resolve(site.configDir, p)
      if (args.bool('no_cache')) return () => readFile(full, p)
      const cached = readFile(full, p)
      return () => cached
    },
  })
}

export const environmentFunctions: FunctionDef[] = [
  defineFunction({
    name: 'env',
    params: [
      { name: 'name', type: 'string' },
      { name: 'no_cache', type: 'bool', default: false },
    ],
    impure: true,
    ctor: (args) => {
      const name = args.string('name')
      if (args.bool('no_cache')) return () => process.env[name] ?? null
      const cached = process.env[name] ?? null
      return () => cached
    },
  }),
  defineFunction({ name: 'hostname', params: [], impure: true, ctor: () => () => hostname() }),
  fileFunction('file'),
  fileFunction('file_rel'),
  defineFunction({ name: 'now', params: [], impure: true, ctor: () => () => formatRfc3339Nano(Timestamp.now(localZone())) }),
  defineFunction({ name: 'timestamp_unix', params: [], impure: true, ctor: () => () => Math.floor(Date.now() / 1000) }),
  defineFunction({ name: 'timestamp_unix_milli', params: [], impure: true, ctor: () => () => Date.now() }),
  defineFunction({
    name: 'timestamp_unix_micro',
    params: [],
    impure: true,
    ctor: () => () => makeInt(Timestamp.now().epochNanos() / 1000n),
  }),
  defineFunction({
    name: 'timestamp_unix_nano',
    params: [],
    impure: true,
    ctor: () => () => makeInt(Timestamp.now().epochNanos()),
  }),
]
