/**
 * Request authentication of the HTTP client block (spec components §11.1): OAuth 1 (HMAC-SHA1),
 * JWT bearer tokens (RS256/384/512, EdDSA), basic auth, and OAuth 2 access tokens (client
 * credentials, or refresh-token when `endpoint_params.grant_type` says so). Signing order and
 * header quirks follow the reference: OAuth 1 adds its header, JWT and basic auth replace it, and
 * an OAuth 2 token is set last, at the transport.
 */
import { createHmac, createPrivateKey, randomInt, sign as cryptoSign, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { HttpClientConf } from './http-client-fields.js'
import type { RequestHeaders } from './http-client-request.js'
import { goQueryEscape, statusText } from './http-client-request.js'

export interface SignableRequest {
  method: string
  url: string
  headers: RequestHeaders
}

/** Performs a token request; the client supplies it so tokens use the same transport and timeout. */
export type TokenFetch = (url: string, body: string, headers: [string, string][], signal: AbortSignal) => Promise<{ status: number; contentType: string; body: string }>

interface OAuthToken {
  value: string
  type: string
  /** Wall-clock ms after which the token is refreshed (0 = never expires). */
  expiresAt: number
  refresh: string
}

export class RequestSigner {
  readonly #c: HttpClientConf
  #jwtKey: Promise<KeyObject> | undefined
  #token: OAuthToken | undefined

  constructor(c: HttpClientConf) {
    this.#c = c
    if (c.jwt.enabled && !JWT_METHODS.has(c.jwt.signing_method)) {
      // Reported on every request, as the reference does, but cheaper to know once.
      this.#jwtKey = Promise.reject(new Error(`jwt signing method ${c.jwt.signing_method} not acepted. Try with RS256, RS384, RS512 or EdDSA`))
      this.#jwtKey.catch(() => {})
    }
  }

  /** OAuth 1, JWT and basic auth, in the reference's order. */
  async sign(req: SignableRequest): Promise<void> {
    const { oauth, jwt, basic_auth: basic } = this.#c
    if (oauth?.enabled) req.headers.add('Authorization', oauth1Header(req, oauth))
    if (jwt.enabled) req.headers.set('Authorization', `Bearer ${await this.#jwt()}`)
    if (basic?.enabled) req.headers.set('Authorization', `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`)
  }

  get usesOAuth2(): boolean {
    return this.#c.oauth2?.enabled === true
  }

  /** Sets the OAuth 2 bearer token, fetching or refreshing it when needed. */
  async authorize(req: SignableRequest, fetchToken: TokenFetch, signal: AbortSignal): Promise<void> {
    const o = this.#c.oauth2
    if (!o?.enabled) return
    if (!this.#token || (this.#token.expiresAt !== 0 && Date.now() >= this.#token.expiresAt)) this.#token = await this.#fetchToken(fetchToken, signal)
    req.headers.set('Authorization', `${this.#token.type} ${this.#token.value}`)
  }

  async #fetchToken(fetchToken: TokenFetch, signal: AbortSignal): Promise<OAuthToken> {
    const o = this.#c.oauth2!
    const params = endpointParams(o.endpoint_params)
    const form = new URLSearchParams()
    const refreshFlow = params.get('grant_type')?.[0] === 'refresh_token'
    if (refreshFlow) {
      form.set('grant_type', 'refresh_token')
      form.set('refresh_token', this.#token?.refresh || params.get('refresh_token')?.[0] || '')
    } else {
      form.set('grant_type', 'client_credentials')
      if (o.scopes.length) form.set('scope', o.scopes.join(' '))
      for (const [k, vs] of params) {
        if (form.has(k) && k !== 'grant_type') throw new Error(`oauth2: cannot overwrite parameter "${k}"`)
        form.delete(k)
        for (const v of vs) form.append(k, v)
      }
    }
    if (refreshFlow && o.scopes.length) form.set('scope', o.scopes.join(' '))
    const formHeaders: [string, string][] = [['Content-Type', 'application/x-www-form-urlencoded']]
    const basic = `Basic ${Buffer.from(`${goQueryEscape(o.client_key)}:${goQueryEscape(o.client_secret)}`).toString('base64')}`
    // Auto-detected auth style: credentials in a header first, then in the body.
    let res = await fetchToken(o.token_url, form.toString(), [...formHeaders, ['Authorization', basic]], signal)
    if (res.status < 200 || res.status > 299) {
      const inBody = new URLSearchParams(form)
      inBody.set('client_id', o.client_key)
      if (o.client_secret !== '') inBody.set('client_secret', o.client_secret)
      const second = await fetchToken(o.token_url, inBody.toString(), formHeaders, signal)
      if (second.status >= 200 && second.status <= 299) res = second
    }
    if (res.status < 200 || res.status > 299) throw new Error(`oauth2: cannot fetch token: ${res.status} ${statusText(res.status)}\nResponse: ${res.body}`)
    const tok = parseToken(res.contentType, res.body)
    if (!tok.access_token) throw new Error('oauth2: server response missing access_token')
    const expiresIn = Number(tok.expires_in ?? 0)
    return {
      value: tok.access_token,
      type: normaliseTokenType(tok.token_type ?? ''),
      // Tokens count as expired ten seconds early, like the reference's token source.
      expiresAt: expiresIn > 0 ? Date.now() + expiresIn * 1000 - 10_000 : 0,
      refresh: tok.refresh_token || this.#token?.refresh || '',
    }
  }

  #jwt(): Promise<string> {
    const j = this.#c.jwt
    this.#jwtKey ??= loadJwtKey(j.private_key_file, j.signing_method)
    return this.#jwtKey.then((key) => {
      const header = { ...j.headers, alg: j.signing_method, typ: 'JWT' }
      const input = `${b64url(stableJson(header))}.${b64url(stableJson(j.claims))}`
      const alg = j.signing_method === 'EdDSA' ? null : `sha${j.signing_method.slice(2)}`
      let sig: Buffer
      try {
        sig = cryptoSign(alg, Buffer.from(input), key)
      } catch (err) {
        throw new Error(`failed to sign jwt: ${err instanceof Error ? err.message : String(err)}`)
      }
      return `${input}.${sig.toString('base64url')}`
    })
  }
}

const JWT_METHODS = new Set(['RS256', 'RS384', 'RS512', 'EdDSA'])

async function loadJwtKey(file: string, method: string): Promise<KeyObject> {
  let pem: Buffer
  try {
    pem = await readFile(file)
  } catch (err) {
    throw new Error(`failed to read private key: ${err instanceof Error ? err.message : String(err)}`)
  }
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch (err) {
    throw new Error(`failed to parse ${method} private key: ${err instanceof Error ? err.message : String(err)}`)
  }
  const want = method === 'EdDSA' ? 'ed25519' : 'rsa'
  if (key.asymmetricKeyType !== want) throw new Error(`failed to parse ${method} private key: key is not a valid ${method === 'EdDSA' ? 'Ed25519' : 'RSA'} private key`)
  return key
}

function oauth1Header(req: SignableRequest, o: NonNullable<HttpClientConf['oauth']>): string {
  const nonce = String(randomInt(0, 2 ** 47))
  const ts = String(Math.floor(Date.now() / 1000))
  const params: [string, string][] = [
    ['oauth_consumer_key', o.consumer_key],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', ts],
    ['oauth_token', o.access_token],
    ['oauth_version', '1.0'],
  ]
  const encoded = params.map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&')
  // The reference signs the URL as a whole and leaves its query out of the parameter set.
  const base = `${req.method}&${goQueryEscape(req.url)}&${goQueryEscape(encoded)}`
  const key = `${goQueryEscape(o.consumer_secret)}&${goQueryEscape(o.access_token_secret)}`
  const sig = createHmac('sha1', key).update(base).digest('base64')
  // No `OAuth` scheme word and a leading space: exactly what the reference sends.
  return (
    ` oauth_consumer_key="${goQueryEscape(o.consumer_key)}", oauth_nonce="${nonce}", oauth_signature="${goQueryEscape(sig)}",` +
    ` oauth_signature_method="HMAC-SHA1", oauth_timestamp="${ts}",` +
    ` oauth_token="${goQueryEscape(o.access_token)}", oauth_version="1.0"`
  )
}

/** `endpoint_params` is linted as an object of string lists; anything else adds no parameter. */
function endpointParams(raw: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out
  for (const [k, v] of Object.entries(raw)) out.set(k, Array.isArray(v) ? v.map(String) : [String(v)])
  return out
}

interface TokenBody {
  access_token?: string
  token_type?: string
  expires_in?: number | string
  refresh_token?: string
}

function parseToken(contentType: string, body: string): TokenBody {
  if (/application\/x-www-form-urlencoded|text\/plain/.test(contentType)) {
    const p = new URLSearchParams(body)
    return {
      access_token: p.get('access_token') ?? undefined,
      token_type: p.get('token_type') ?? undefined,
      expires_in: p.get('expires_in') ?? undefined,
      refresh_token: p.get('refresh_token') ?? undefined,
    }
  }
  try {
    const v: unknown = JSON.parse(body)
    return typeof v === 'object' && v !== null ? (v as TokenBody) : {}
  } catch {
    throw new Error(`oauth2: cannot parse json: ${body.slice(0, 100)}`)
  }
}

function normaliseTokenType(t: string): string {
  const l = t.toLowerCase()
  if (l === '' || l === 'bearer') return 'Bearer'
  if (l === 'mac') return 'MAC'
  if (l === 'basic') return 'Basic'
  return t
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url')
}

/** JSON with object keys sorted, as Go encodes maps. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v) ?? 'null'
}
