/**
 * Checks that run before any routing on the shared server (spec §7.1): `http.basic_auth` on every
 * endpoint, stream endpoints included (constant-time comparisons), and `http.cors`.
 */
import { createHash, scrypt, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import bcrypt from 'bcryptjs'
import { sendResponse, textResponse } from '../http/index.js'

export interface BasicAuthConfig {
  enabled: boolean
  realm: string
  username: string
  /** base64 of the raw hash bytes (bcrypt: of the `$2a$...` hash string). */
  password_hash: string
  algorithm: string
  salt: string
}

/**
 * Answers 401/500 itself and gives false when the request must stop. bcrypt and scrypt are slow
 * on purpose (about 0.1 s each), so they answer later, off the event loop's critical path:
 * scrypt in libuv's thread pool, bcrypt in bcryptjs's yielding async rounds.
 */
export type AuthCheck = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>

/** Slow hash checks (bcrypt, scrypt) running at once; more get 503 rather than a growing queue. */
const MAX_SLOW_CHECKS = 8

/** Password → does it match; the hash is compared in constant time where Weir computes it. */
type Verifier = (password: string) => boolean | Promise<boolean>

export function basicAuth(conf: BasicAuthConfig): AuthCheck | undefined {
  if (!conf.enabled) return undefined
  const user = Buffer.from(conf.username)
  // Go quotes the realm with %q; JSON quoting agrees for printable text and escapes the rest.
  const challenge = `Basic realm=${JSON.stringify(conf.realm)}, charset="UTF-8"`
  // Go decodes the stored hash on every request and answers 500 when it is not strict base64.
  const expected = strictBase64(conf.password_hash)
  const verify = expected ? verifier(conf.algorithm, expected, strictBase64(conf.salt) ?? Buffer.alloc(0)) : undefined
  // Slow verifications that succeeded, so a client sending the same good credentials on every
  // request pays once. Keyed by a digest, never the password; failures are not remembered.
  const good = new Set<string>()
  const slow = conf.algorithm === 'bcrypt' || conf.algorithm === 'scrypt'
  let inFlight = 0
  const deny = (res: ServerResponse): false => {
    const denied = textResponse(401, 'Unauthorized')
    denied.headers.unshift(['WWW-Authenticate', challenge])
    sendResponse(res, denied)
    return false
  }
  return (req, res) => {
    if (!verify) {
      sendResponse(res, textResponse(500, 'Internal Server Error'))
      return false
    }
    const { username, password } = credentials(req.headers.authorization)
    const u = Buffer.from(username)
    const userOk = u.length === user.length && timingSafeEqual(u, user)
    const key = createHash('sha256').update(username).update('\0').update(password).digest('base64')
    if (good.has(key)) return true
    if (slow && inFlight >= MAX_SLOW_CHECKS) {
      // A flood of wrong passwords would otherwise queue hash work without bound.
      res.setHeader('Retry-After', '1')
      sendResponse(res, textResponse(503, 'Service Unavailable'))
      return false
    }
    const result = verify(password)
    if (typeof result === 'boolean') return (userOk && result) || deny(res)
    inFlight++
    return result.then(
      (passOk) => {
        inFlight--
        if (!(userOk && passOk)) return deny(res)
        if (good.size >= 64) good.clear()
        good.add(key)
        return true
      },
      () => {
        inFlight--
        return deny(res)
      },
    )
  }
}

/** Go's `Request.BasicAuth`: anything malformed is an empty user and password. */
function credentials(header: string | undefined): { username: string; password: string } {
  const m = /^Basic +(.+)$/i.exec(header ?? '')
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  return colon === -1 ? { username: '', password: '' } : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function verifier(algorithm: string, expected: Buffer, salt: Buffer): Verifier | undefined {
  const same = (got: Buffer): boolean => got.length === expected.length && timingSafeEqual(got, expected)
  switch (algorithm) {
    case 'md5':
      return (p) => same(createHash('md5').update(p).digest())
    case 'sha256':
      return (p) => same(createHash('sha256').update(p).digest())
    case 'scrypt':
      return (p) =>
        new Promise((resolve) =>
          scrypt(p, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }, (err, key) => resolve(!err && same(key))),
        )
    case 'bcrypt': {
      const hash = expected.toString('utf8')
      // A stored value that is not a bcrypt hash never matches (Go: CompareHashAndPassword fails).
      return (p) => bcrypt.compare(p, hash).catch(() => false)
    }
    default:
      return undefined
  }
}

/** Go's `base64.StdEncoding.DecodeString`: padded, standard alphabet, nothing else. */
function strictBase64(s: string): Buffer | undefined {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return undefined
  return Buffer.from(s, 'base64')
}

/** `http.cors`: origin allow-list with the reference's method set. */
export interface CorsConfig {
  enabled: boolean
  allowed_origins: string[]
}

export type CorsCheck = (req: IncomingMessage, res: ServerResponse) => boolean

const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']
/** Methods and request headers a preflight never needs to be told about (simple ones). */
const SIMPLE_METHODS = ['GET', 'HEAD', 'POST']
const SIMPLE_HEADERS = ['Accept', 'Accept-Language', 'Content-Language', 'Origin']

/**
 * The reference wraps its whole server in gorilla/handlers' CORS with the allowed origins and
 * the six methods above, and no extra allowed headers; this answers as that middleware does:
 * a preflight without a requested method is 400, a method outside the set 405, a request header
 * beyond the simple ones 403; an OPTIONS from an origin that is not allowed is 200 and empty.
 */
export function cors(conf: CorsConfig): CorsCheck | undefined {
  if (!conf.enabled) return undefined
  const any = conf.allowed_origins.includes('*')
  const allowed = new Set(conf.allowed_origins)
  const vary = !any && conf.allowed_origins.length > 1
  const bare = (res: ServerResponse, status: number): false => {
    res.statusCode = status
    res.end()
    return false
  }
  return (req, res) => {
    const origin = req.headers.origin ?? ''
    const preflight = req.method === 'OPTIONS'
    if (origin === '' || !(any || allowed.has(origin))) return preflight ? bare(res, 200) : true
    if (preflight) {
      const method = req.headers['access-control-request-method']
      if (method === undefined) return bare(res, 400)
      if (!CORS_METHODS.includes(method)) return bare(res, 405)
      const asked = String(req.headers['access-control-request-headers'] ?? '').split(',')
      for (const h of asked.map((x) => canonicalHeader(x.trim()))) {
        if (h !== '' && !SIMPLE_HEADERS.includes(h)) return bare(res, 403)
      }
      if (!SIMPLE_METHODS.includes(method)) res.setHeader('Access-Control-Allow-Methods', method)
    }
    if (vary) res.setHeader('Vary', 'Origin')
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin)
    return preflight ? bare(res, 200) : true
  }
}

/** Go's `http.CanonicalHeaderKey`: `content-type` → `Content-Type`. */
function canonicalHeader(h: string): string {
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(h)) return h
  return h.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
}

/** Config problems that stop start-up, with the reference's texts (api.go, basic_auth.go Validate). */
export function checkHttpGuards(auth: BasicAuthConfig, corsConf: CorsConfig, tls: { cert_file: string; key_file: string }): string | undefined {
  if (corsConf.enabled && corsConf.allowed_origins.length === 0) return 'bad CORS configuration: must specify at least one allowed origin'
  if ((tls.cert_file === '') !== (tls.key_file === '')) return 'both cert_file and key_file must be specified, or neither'
  if (auth.enabled) {
    if (auth.username === '' || auth.password_hash === '') return 'both username and password_hash are required'
    if (!['md5', 'sha256', 'scrypt', 'bcrypt'].includes(auth.algorithm)) return 'algorithm should be one of md5, sha256, bcrypt, or scrypt'
    if (auth.algorithm === 'scrypt' && auth.salt === '') return 'salt is required for scrypt'
    if (auth.algorithm === 'scrypt' && !strictBase64(auth.salt)) return 'invalid salt : illegal base64 data'
  }
  return undefined
}
