/**
 * The HTTP client block shared by the `http_client` input/output and the `http` processor (spec
 * components §11.1, §11.2) as spec data, in the reference's field order, plus the typed view of a
 * config with its defaults applied.
 */
import { f, type ObjectOf, type ValueOf } from '../../spec/index.js'

/** `include_prefixes`/`include_patterns` (metadata-filter.ts). */
const filterFields = [f.array(f.string('include_prefixes', { default: [] })), f.array(f.string('include_patterns', { default: [] }))] as const

export type FilterConf = ObjectOf<typeof filterFields>

/** §11.2: the TLS block with its `enabled` toggle. */
export const tlsField = f.object(
  'tls',
  [
    f.bool('enabled', { default: false, description: 'Whether to enable TLS for secure connections.' }),
    f.bool('skip_cert_verify', { default: false, description: 'Whether to skip server-side certificate verification.' }),
    f.bool('enable_renegotiation', { default: false, advanced: true, description: 'Whether to allow the remote server to repeatedly request renegotiation.' }),
    f.string('root_cas', { default: '', secret: true, description: 'A root certificate authority to use, as inline PEM.' }),
    f.string('root_cas_file', { default: '', description: 'Path to a root certificate authority file.' }),
    f.array(
      f.object(
        'client_certs',
        [
          f.string('cert', { default: '' }),
          f.string('key', { default: '', secret: true }),
          f.string('cert_file', { default: '' }),
          f.string('key_file', { default: '' }),
          f.string('password', { default: '', secret: true }),
        ],
        { default: [], description: 'A list of client certificates for mutual TLS (mTLS) authentication.' },
      ),
    ),
  ],
  { advanced: true, description: 'Custom TLS settings can be used to override system defaults.' },
)

/**
 * Fields of the client block; component-specific fields follow them.
 *
 * @example f.object('', [...httpClientFields('POST', true), f.int('max_in_flight', { default: 64 })])
 */
export function httpClientFields(defaultVerb: string, forOutput: boolean) {
  return [
    f.interp('url', { url: 'password', description: 'The URL to connect to.' }),
    f.string('verb', { default: defaultVerb, description: 'A verb to connect with.' }),
    f.map(f.interp('headers', { default: {}, description: 'A map of headers to add to the request.' })),
    f.object('metadata', filterFields, {
      optional: true,
      advanced: true,
      description: 'Specify matching rules that determine which metadata keys should be added to the HTTP request as headers.',
    }),
    f.string('dump_request_log_level', {
      default: '',
      advanced: true,
      options: ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', ''],
      description: 'EXPERIMENTAL: Set the logging level for the request and response payloads of each HTTP request.',
    }),
    f.object(
      'oauth',
      [
        f.bool('enabled', { default: false }),
        f.string('consumer_key', { default: '' }),
        f.string('consumer_secret', { default: '', secret: true }),
        f.string('access_token', { default: '' }),
        f.string('access_token_secret', { default: '', secret: true }),
      ],
      { optional: true, advanced: true, description: 'Allows you to specify open authentication via OAuth version 1.' },
    ),
    f.object(
      'oauth2',
      [
        f.bool('enabled', { default: false }),
        f.string('client_key', { default: '' }),
        f.string('client_secret', { default: '', secret: true }),
        f.string('token_url', { default: '', url: 'password' }),
        f.array(f.string('scopes', { default: [], advanced: true })),
        f.any('endpoint_params', { default: {}, optional: true, advanced: true, lint: lintEndpointParams }),
      ],
      { optional: true, advanced: true, description: 'Allows you to specify open authentication using OAuth version 2 and the client credentials token flow.' },
    ),
    f.object(
      'basic_auth',
      [f.bool('enabled', { default: false }), f.string('username', { default: '' }), f.string('password', { default: '', secret: true })],
      { optional: true, advanced: true, description: 'Allows you to specify basic authentication.' },
    ),
    f.object(
      'jwt',
      [
        f.bool('enabled', { default: false }),
        f.string('private_key_file', { default: '' }),
        f.string('signing_method', { default: '' }),
        f.map(f.any('claims', { default: {}, advanced: true })),
        f.map(f.any('headers', { default: {}, advanced: true })),
      ],
      { advanced: true, description: 'BETA: Allows you to specify JWT authentication.' },
    ),
    tlsField,
    f.object('extract_headers', filterFields, {
      advanced: true,
      description: forOutput
        ? 'Specify which response headers to add to the resulting synchronous response messages as metadata (only with `propagate_response`).'
        : 'Specify which response headers to add to the resulting messages as metadata.',
    }),
    f.string('rate_limit', { optional: true, description: 'A rate limit to throttle requests by (optional).' }),
    f.duration('timeout', { default: '5s', description: 'A static timeout to apply to requests.' }),
    f.duration('retry_period', { default: '1s', advanced: true, description: 'The period to wait between failed requests before retrying.' }),
    f.duration('max_retry_backoff', { default: '300s', advanced: true, description: 'The maximum period to wait between failed requests.' }),
    f.int('retries', { default: 3, advanced: true, description: 'The maximum number of retry attempts to make.' }),
    f.bool('follow_redirects', { default: true, advanced: true, description: 'Whether to transparently follow redirects.' }),
    f.array(f.int('backoff_on', { default: [429], advanced: true, description: 'Status codes that indicate a failure and trigger retries with an increasing backoff period.' })),
    f.array(f.int('drop_on', { default: [], advanced: true, description: 'Status codes that indicate a failure where retries should not be attempted.' })),
    f.array(f.int('successful_on', { default: [], advanced: true, description: 'Status codes that count as successful even if they are not 2XX.' })),
    f.string('proxy_url', { optional: true, advanced: true, url: 'password', description: 'An HTTP proxy URL (optional).' }),
    f.bool('disable_http2', { default: false, advanced: true, description: 'Whether to disable HTTP/2.' }),
  ] as const
}

function lintEndpointParams(v: unknown): string[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return []
  const out: string[] = []
  for (const ele of Object.values(v)) {
    if (!Array.isArray(ele)) {
      out.push(`field must be an object containing arrays of strings, got ${JSON.stringify(ele)} (${goType(ele)})`)
      continue
    }
    for (const s of ele) if (typeof s !== 'string') out.push(`field values must be strings, got ${JSON.stringify(s)} (${goType(s)})`)
  }
  return out
}

function goType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v
}

export type TlsConf = NonNullable<ValueOf<typeof tlsField>>

/** The client block with defaults applied (optional blocks may be absent). */
export type HttpClientConf = ObjectOf<ReturnType<typeof httpClientFields>>
