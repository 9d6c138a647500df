/**
 * A throwaway self-signed certificate for servers configured with `tls.self_signed` (the
 * reference makes one at start-up too). Node can create keys but not certificates, so the
 * certificate's few DER structures are written here: an ECDSA P-256 key, CN `weir`, valid from an
 * hour ago for ten years, signed with itself.
 */
import { generateKeyPairSync, sign } from 'node:crypto'

function len(n: number): number[] {
  if (n < 0x80) return [n]
  const bytes: number[] = []
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
  return [0x80 | bytes.length, ...bytes]
}

function tlv(tag: number, body: Uint8Array | number[]): Buffer {
  const b = Buffer.from(body)
  return Buffer.concat([Buffer.from([tag, ...len(b.length)]), b])
}

const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts))

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const out = [a! * 40 + b!]
  for (const n of rest) {
    const groups: number[] = []
    for (let v = n; ; v = Math.floor(v / 128)) {
      groups.unshift(v % 128)
      if (v < 128) break
    }
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)))
  }
  return tlv(0x06, out)
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0')
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  return tlv(0x17, Buffer.from(s, 'ascii'))
}

export interface KeyPairPem {
  cert: string
  key: string
}

export function selfSignedCertificate(now = new Date()): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'))
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('weir')))))
  const from = new Date(now.getTime() - 3_600_000)
  const to = new Date(from.getTime() + 10 * 365 * 86_400_000)
  const serial = tlv(0x02, [0x01])
  const tbs = seq(
    tlv(0xa0, tlv(0x02, [0x02])),
    serial,
    ecdsaSha256,
    name,
    seq(utcTime(from), utcTime(to)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])))
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n')
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}
