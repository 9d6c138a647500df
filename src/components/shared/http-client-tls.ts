/**
 * The TLS block (spec components §11.2) as Node TLS connect options, with the reference's
 * validation messages. Files are read once, at build time, so a bad path fails the stream build.
 */
import { readFileSync } from 'node:fs'
import { createPrivateKey } from 'node:crypto'
import type { ConnectionOptions } from 'node:tls'
import type { TlsConf } from './http-client-fields.js'
import { invalid } from './field-error.js'

/** Connect options for an enabled block, undefined when `enabled` is false. Throws located errors. */
export function tlsConnectOptions(c: TlsConf, field = 'tls'): ConnectionOptions | undefined {
  if (!c.enabled) return undefined
  const opts: ConnectionOptions = { minVersion: 'TLSv1.2' }
  if (c.root_cas !== '' && c.root_cas_file !== '') throw invalid(field, 'only one field between root_cas and root_cas_file can be specified')
  if (c.root_cas_file !== '') opts.ca = read(c.root_cas_file, `${field}.root_cas_file`)
  if (c.root_cas !== '') opts.ca = c.root_cas
  const certs: string[] = []
  const keys: { pem: string; passphrase?: string }[] = []
  c.client_certs.forEach((cc, i) => {
    const at = `${field}.client_certs[${i}]`
    let cert: string
    let key: string
    if (cc.cert_file !== '' || cc.key_file !== '') {
      if (cc.cert_file === '') throw invalid(at, 'missing cert_file field in client certificate config')
      if (cc.key_file === '') throw invalid(at, 'missing key_file field in client certificate config')
      cert = read(cc.cert_file, `${at}.cert_file`)
      key = read(cc.key_file, `${at}.key_file`)
    } else {
      if (cc.cert === '') throw invalid(at, 'missing cert field in client certificate config')
      if (cc.key === '') throw invalid(at, 'missing key field in client certificate config')
      cert = cc.cert
      key = cc.key
    }
    checkKey(key, cc.password, at)
    certs.push(cert)
    keys.push(cc.password !== '' ? { pem: key, passphrase: cc.password } : { pem: key })
  })
  if (certs.length) {
    opts.cert = certs
    opts.key = keys
  }
  if (c.skip_cert_verify) opts.rejectUnauthorized = false
  // Node clients accept renegotiation requests already; the field needs no option of its own.
  return opts
}

function read(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw invalid(field, err instanceof Error ? err.message : String(err))
  }
}

/** Fails the build on an undecodable or wrongly protected key rather than on the first request. */
function checkKey(pem: string, password: string, field: string): void {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw invalid(field, 'failed to decode private key')
  const encrypted = /ENCRYPTED/.test(pem)
  if (encrypted && password === '') {
    throw invalid(field, pem.includes('BEGIN ENCRYPTED PRIVATE KEY') ? 'missing password for PKCS#8 encrypted private key' : 'missing password for PKCS#1 encrypted private key')
  }
  try {
    createPrivateKey(password !== '' ? { key: pem, passphrase: password } : pem)
  } catch (err) {
    throw invalid(field, `failed to parse private key: ${err instanceof Error ? err.message : String(err)}`)
  }
}
