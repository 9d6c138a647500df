/** The request signing fields of the WebSocket components: the HTTP client's OAuth 1, basic auth and JWT blocks. */
import { httpClientFields } from './http-client-fields.js'

const wanted = new Set(['oauth', 'basic_auth', 'jwt'])

export const websocketAuthFields = httpClientFields('GET', false).filter((fld) => wanted.has(fld.name))
