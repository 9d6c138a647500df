/**
 * How the `subprocess` processor frames what it writes to and reads from its child: `lines`,
 * `length_prefixed_uint32_be` or `netstring`. Reading follows Go's bufio.Scanner with the
 * reference's split functions, including its error texts and the `max_buffer` token limit.
 */

export const SUBPROCESS_CODECS = ['lines', 'length_prefixed_uint32_be', 'netstring']

/** Go's `bufio.MaxScanTokenSize`, the default `max_buffer`. */
export const MAX_SCAN_TOKEN_SIZE = 64 * 1024

type Split = (data: Buffer) => { advance: number; token: Buffer } | undefined

const splitLines: Split = (data) => {
  const i = data.indexOf(10)
  if (i < 0) return undefined
  const end = i > 0 && data[i - 1] === 13 ? i - 1 : i
  return { advance: i + 1, token: data.subarray(0, end) }
}

const splitLengthPrefixed: Split = (data) => {
  if (data.length < 4) return undefined
  const n = data.readUInt32BE(0)
  if (data.length - 4 < n) return undefined
  return { advance: 4 + n, token: data.subarray(4, 4 + n) }
}

const splitNetstring: Split = (data) => {
  const i = data.indexOf(58)
  if (i < 0) return undefined
  if (i === 0) throw new Error("encountered invalid netstring: netstring starts with colon (':')")
  const text = data.subarray(0, i).toString('latin1')
  if (!/^\d+$/.test(text) || text.length > 19) throw new Error(`encountered invalid netstring: unable to decode length '${data.subarray(0, i).toString()}'`)
  const n = Number(text)
  if (data.length <= i + 1 + n) return undefined
  if (data[i + 1 + n] !== 44) throw new Error('encountered invalid netstring: trailing comma-character is missing')
  return { advance: i + 2 + n, token: data.subarray(i + 1, i + 1 + n) }
}

const SPLITS: Record<string, Split> = { lines: splitLines, length_prefixed_uint32_be: splitLengthPrefixed, netstring: splitNetstring }

/**
 * Tokens of a byte stream, fed chunk by chunk. `push` returns the tokens completed by a chunk, or
 * throws the scanner's error (a token over `maxBuffer` is `bufio.Scanner: token too long`).
 * `finish` returns what a final unterminated line makes (lines only, as bufio does at EOF).
 */
export class TokenSplitter {
  #buf: Buffer = Buffer.alloc(0)
  readonly #split: Split
  constructor(
    readonly codec: string,
    readonly maxBuffer: number,
  ) {
    this.#split = SPLITS[codec] ?? splitLines
  }

  push(chunk: Buffer): Buffer[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk])
    const out: Buffer[] = []
    for (;;) {
      const r = this.#split(this.#buf)
      if (r === undefined) break
      // Tokens are copied so a consumer may keep them while the buffer moves on.
      out.push(Buffer.from(r.token))
      this.#buf = this.#buf.subarray(r.advance)
    }
    if (this.#buf.length >= this.maxBuffer) throw new Error('bufio.Scanner: token too long')
    return out
  }

  finish(): Buffer[] {
    const rest = this.#buf
    this.#buf = Buffer.alloc(0)
    if (this.codec !== 'lines' || rest.length === 0) return []
    return [Buffer.from(rest[rest.length - 1] === 13 ? rest.subarray(0, -1) : rest)]
  }
}

/** A message as the processor writes it: prolog, payload, epilog. */
export function frameFor(codec: string, payload: Uint8Array): Buffer[] {
  if (codec === 'length_prefixed_uint32_be') {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(payload.length >>> 0)
    return [len, Buffer.from(payload)]
  }
  if (codec === 'netstring') return [Buffer.from(`${payload.length}:`), Buffer.from(payload), Buffer.from(',')]
  return [Buffer.from(payload), Buffer.from('\n')]
}
