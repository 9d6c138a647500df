/**
 * Output codecs of `stdout` and `file` (spec components §7.1, §7.4): `lines` adds `\n` unless the
 * message already ends with it, `delim:<x>` the same with a custom suffix, `append` adds nothing,
 * `all-bytes` (file only) rewrites the file with each message.
 */
import { Buffer } from 'node:buffer'
import { invalid } from './field-error.js'

export interface OutputCodec {
  /** `all-bytes`: truncate and rewrite per message instead of appending. */
  readonly rewrite: boolean
  /** The bytes to write for one message. */
  frame(content: Uint8Array): Uint8Array
}

export function outputCodec(codec: string, allowAllBytes: boolean): OutputCodec {
  if (codec === 'lines') return suffixCodec(Buffer.from('\n'))
  if (codec === 'append') return { rewrite: false, frame: (c) => c }
  if (codec === 'all-bytes' && allowAllBytes) return { rewrite: true, frame: (c) => c }
  if (codec.startsWith('delim:') && codec.length > 'delim:'.length) return suffixCodec(Buffer.from(codec.slice('delim:'.length)))
  throw invalid('codec', `codec was not recognised: ${codec}`)
}

function suffixCodec(suffix: Buffer): OutputCodec {
  return {
    rewrite: false,
    frame: (c) => {
      if (c.length >= suffix.length && Buffer.from(c.buffer, c.byteOffset + c.length - suffix.length, suffix.length).equals(suffix)) return c
      return Buffer.concat([c, suffix])
    },
  }
}
