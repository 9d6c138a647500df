// PLACEHOLDER owned by the Bloblang work: replace wholesale with the real value model.
// The names below are the contract src/message/message.ts relies on.
export type Value = unknown

/** Parse message bytes as one JSON document, numbers kept as their source text. Throws on invalid JSON. */
export function parseJsonBytes(bytes: Uint8Array): Value {
  return JSON.parse(new TextDecoder().decode(bytes)) as Value
}

/** Serialise a value as message bytes (spec §13: strings raw, bytes raw, others JSON). */
export function valueToBytes(v: Value): Uint8Array {
  if (typeof v === 'string') return new TextEncoder().encode(v)
  if (v instanceof Uint8Array) return v
  return new TextEncoder().encode(JSON.stringify(v))
}

/** String conversion of spec §10 (used for metadata rendering, interpolation). */
export function valueToString(v: Value): string {
  if (typeof v === 'string') return v
  if (v instanceof Uint8Array) return new TextDecoder().decode(v)
  return JSON.stringify(v)
}
