/**
 * `tar` scanner (spec components, tier 3): one message per archive entry, with its name in
 * `tar_name`. USTAR, GNU and PAX archives are read as `unarchive` reads them (../shared/tar.ts).
 * The archive is read whole before the first entry is emitted, as `to_the_end` reads its source.
 */
import { Buffer } from 'node:buffer'
import { Message } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { Scanner } from '../../spec/index.js'
import { readTar, type TarEntry } from '../shared/tar.js'

export default defineComponent({
  kind: 'scanner',
  name: 'tar',
  status: 'stable',
  summary: 'Consume a tar archive file by file.',
  config: f.object('', [], { default: {} }),
  build: (): Scanner => ({
    open: (source) => {
      let entries: TarEntry[] | undefined
      let i = 0
      return {
        next: async () => {
          if (entries === undefined) {
            const chunks: Uint8Array[] = []
            for await (const c of source) chunks.push(c)
            entries = readTar(Buffer.concat(chunks))
          }
          const e = entries[i++]
          if (e === undefined) return undefined
          const m = new Message(e.data)
          m.metaMut().set('tar_name', e.name)
          return [m]
        },
      }
    },
    close: async () => {},
  }),
})
