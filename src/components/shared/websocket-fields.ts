/** Fields the `websocket` input and output share, and the dial options built from them. */
import { f } from '../../spec/index.js'
import { RequestSigner } from './http-client-auth.js'
import { httpClientFields, type HttpClientConf, type TlsConf } from './http-client-fields.js'
import { tlsConnectOptions } from './http-client-tls.js'
import type { WsDialOptions } from './websocket-dial.js'

/** `url` (with an example for the docs) and the optional `proxy_url`. */
export const websocketUrlFields = (example: string) =>
  [
    f.string('url', { url: 'password', description: `The URL to connect to${example}.` }),
    f.string('proxy_url', { optional: true, advanced: true, url: 'password', description: 'An optional HTTP proxy URL.' }),
  ] as const

const wanted = new Set(['oauth', 'basic_auth', 'jwt'])

/** The request signing fields: the HTTP client's OAuth 1, basic auth and JWT blocks. */
export const websocketAuthFields = httpClientFields('GET', false).filter((fld) => wanted.has(fld.name))

/** How to dial, from a parsed config holding the fields above and `tls`. Throws located TLS errors. */
export function websocketDialOptions(c: { url: string; proxy_url?: string | undefined; tls: TlsConf }): WsDialOptions {
  // RequestSigner reads only the auth blocks of the config it is given.
  return { url: c.url, proxyUrl: c.proxy_url, tls: tlsConnectOptions(c.tls), signer: new RequestSigner(c as unknown as HttpClientConf) }
}
