/**
 * Checks that run before any routing on the shared server (spec §7.1): `http.basic_auth` on every
 * endpoint, stream endpoints included (constant-time comparisons), and `http.cors`.
 */
import { createHash, scryptSync, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendResponse, textResponse } from '../http/index.js'

export interface BasicAuthConfig {
  enabled: boolean
  realm: string
  username: string
  /** base64 of the raw hash bytes. */
  password_hash: string
  algorithm: string
  salt: string
}

export type AuthCheck = (req: IncomingMessage, res: ServerResponse) => boolean

/** A checker that answers 401/500 itself and returns false when the request must stop. */
export function basicAuth(conf: BasicAuthConfig): AuthCheck | undefined {
  if (!conf.enabled) return undefined
  const expected = Buffer.from(conf.password_hash, 'base64')
  const salt = Buffer.from(conf.salt, 'base64')
  const user = Buffer.from(conf.username)
  const challenge = `Basic realm="${conf.realm}", charset="UTF-8"`
  const hash = hasher(conf.algorithm, salt)
  return (req, res) => {
    const header = req.headers.authorization ?? ''
    const m = /^Basic\s+(.+)$/i.exec(header)
    const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : ''
    const colon = decoded.indexOf(':')
    if (colon !== -1 && hash) {
      const u = Buffer.from(decoded.slice(0, colon))
      const got = hash(decoded.slice(colon + 1))
      const userOk = u.length === user.length && timingSafeEqual(u, user)
      const passOk = got.length === expected.length && timingSafeEqual(got, expected)
      if (userOk && passOk) return true
    }
    if (!hash) {
      sendResponse(res, textResponse(500, 'Internal Server Error'))
      return false
    }
    const denied = textResponse(401, 'Unauthorized')
    denied.headers.unshift(['WWW-Authenticate', challenge])
    sendResponse(res, denied)
    return false
  }
}

function hasher(algorithm: string, salt: Buffer): ((password: string) => Buffer) | undefined {
  switch (algorithm) {
    case 'md5':
      return (p) => createHash('md5').update(p).digest()
    case 'sha256':
      return (p) => createHash('sha256').update(p).digest()
    case 'scrypt':
      return (p) => scryptSync(p, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
    default:
      // bcrypt would need a native or third-party implementation; refused clearly rather than guessed.
      return undefined
  }
}

/** `http.cors`: origin allow-list with the reference's method set. */
export interface CorsConfig {
  enabled: boolean
  allowed_origins: string[]
}

export type CorsCheck = (req: IncomingMessage, res: ServerResponse) => boolean

export function cors(conf: CorsConfig): CorsCheck | undefined {
  if (!conf.enabled) return undefined
  const any = conf.allowed_origins.includes('*')
  const allowed = new Set(conf.allowed_origins)
  return (req, res) => {
    const origin = req.headers.origin
    if (origin && (any || allowed.has(origin))) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin)
      res.setHeader('Vary', 'Origin')
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE')
        const h = req.headers['access-control-request-headers']
        if (h) res.setHeader('Access-Control-Allow-Headers', h)
        sendResponse(res, { status: 200, headers: [], body: '' })
        return false
      }
    }
    return true
  }
}

/** Config problems that stop start-up, with the reference's texts. */
export function checkHttpGuards(auth: BasicAuthConfig, corsConf: CorsConfig, tls: { cert_file: string; key_file: string }): string | undefined {
  if ((tls.cert_file === '') !== (tls.key_file === '')) return 'both cert_file and key_file must be specified, or neither'
  if (corsConf.enabled && corsConf.allowed_origins.length === 0) return 'must specify at least one allowed origin'
  if (auth.enabled) {
    if (auth.username === '') return 'basic_auth.username must be specified when basic auth is enabled'
    if (auth.password_hash === '') return 'basic_auth.password_hash must be specified when basic auth is enabled'
    if (!['md5', 'sha256', 'scrypt', 'bcrypt'].includes(auth.algorithm)) return `basic_auth.algorithm '${auth.algorithm}' is not supported`
    if (auth.algorithm === 'scrypt' && auth.salt === '') return 'basic_auth.salt must be specified when the scrypt algorithm is used'
    if (auth.algorithm === 'bcrypt') return 'basic_auth.algorithm bcrypt is not supported by Weir yet; use sha256, md5 or scrypt'
  }
  return undefined
}
