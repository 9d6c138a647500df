/**
 * `file` cache: each item is a file under `directory`, named by its key (no expiry; for
 * development and debugging, as in the reference).
 */
import { readFile, writeFile, open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { defineComponent, f } from '../../spec/index.js'
import type { Cache } from '../../spec/index.js'
import { KEY_EXISTS } from '../shared/cache-errors.js'
import { meteredCache } from '../shared/metered-cache.js'

export default defineComponent({
  kind: 'cache',
  name: 'file',
  status: 'stable',
  summary: 'Stores each item in a directory as a file, where an item ID is the path relative to the configured directory.',
  config: f.object('', [f.string('directory', { description: 'The directory within which to store items.' })]),
  examples: [
    {
      title: 'Items as files',
      config: `pipeline:
  processors:
    - cached:
        cache: disk
        key: '\${! content() }'
        processors:
          - mapping: 'root = "%s #%d".format(content(), counter())'
cache_resources:
  - label: disk
    file:
      directory: ./cache
`,
      // The second `a` is read back from ./cache/a: its processors do not run again.
      input: ['a', 'b', 'a'],
      output: ['a #1', 'b #2', 'a #1'],
    },
  ],
  build: (c, ctx): Cache => {
    const path = (key: string): string => join(c.directory, key)
    return meteredCache(
      {
        get: async (key) => {
          try {
            return new Uint8Array(await readFile(path(key)))
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
            throw err
          }
        },
        set: (key, value) => writeFile(path(key), value, { mode: 0o644 }),
        add: async (key, value) => {
          let fh
          try {
            fh = await open(path(key), 'wx', 0o644)
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(KEY_EXISTS)
            throw err
          }
          try {
            await fh.writeFile(value)
          } finally {
            await fh.close()
          }
        },
        delete: (key) => rm(path(key)),
        close: async () => {},
      },
      ctx,
    )
  },
})
