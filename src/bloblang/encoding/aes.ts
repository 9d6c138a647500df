/**
 * `encrypt_aes` / `decrypt_aes` with Go's crypto/cipher modes: CTR, OFB and CBC (no padding;
 * input must be whole blocks) with a 16-byte IV, and GCM with a 12-byte nonce and the 16-byte
 * tag appended to the ciphertext. Key sizes 16, 24 or 32 bytes select AES-128/192/256.
 */
import { crypto } from '../../util/lazy-builtins.js'

export class AesError extends Error {}

export type AesScheme = 'ctr' | 'gcm' | 'ofb' | 'cbc'

const SCHEMES: readonly string[] = ['ctr', 'gcm', 'ofb', 'cbc']

export interface AesCipher {
  encrypt(data: Uint8Array): Uint8Array
  decrypt(data: Uint8Array): Uint8Array
}

/** Validate key and IV the way the reference does when the method is built. */
export function aesCipher(scheme: string, key: Uint8Array, iv: Uint8Array, direction: 'encryption' | 'decryption'): AesCipher {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new AesError(`crypto/aes: invalid key size ${key.length}`)
  if (scheme !== 'gcm' && SCHEMES.includes(scheme) && iv.length !== 16) {
    throw new AesError('the key must match the initialisation vector size')
  }
  if (!SCHEMES.includes(scheme)) throw new AesError(`unrecognized ${direction} type: ${scheme}`)
  const algo = `aes-${key.length * 8}-${scheme}`
  const s = scheme as AesScheme
  return {
    encrypt(data) {
      if (s === 'cbc' && data.length % 16 !== 0) throw new AesError('plaintext is not a multiple of the block size')
      if (s === 'gcm') {
        if (iv.length !== 12) throw new AesError('crypto/cipher: incorrect nonce length given to GCM')
        const c = crypto().createCipheriv(algo as 'aes-128-gcm', key, iv)
        const body = Buffer.concat([c.update(data), c.final()])
        return new Uint8Array(Buffer.concat([body, c.getAuthTag()]))
      }
      const c = crypto().createCipheriv(algo, key, iv)
      c.setAutoPadding(false)
      return new Uint8Array(Buffer.concat([c.update(data), c.final()]))
    },
    decrypt(data) {
      if (s === 'cbc' && data.length % 16 !== 0) throw new AesError('ciphertext is not a multiple of the block size')
      if (s === 'gcm') {
        if (iv.length !== 12) throw new AesError('crypto/cipher: incorrect nonce length given to GCM')
        if (data.length < 16) throw new AesError('gcm decrypting failed: cipher: message authentication failed')
        const d = crypto().createDecipheriv(algo as 'aes-128-gcm', key, iv)
        d.setAuthTag(data.subarray(data.length - 16))
        try {
          return new Uint8Array(Buffer.concat([d.update(data.subarray(0, data.length - 16)), d.final()]))
        } catch {
          throw new AesError('gcm decrypting failed: cipher: message authentication failed')
        }
      }
      const d = crypto().createDecipheriv(algo, key, iv)
      d.setAutoPadding(false)
      return new Uint8Array(Buffer.concat([d.update(data), d.final()]))
    },
  }
}
