/**
 * Bounds on what one client can make the shared HTTP server hold. The reference's server
 * (`http.Server{Addr}` in internal/api) sets none of Go's timeouts and keeps Go's 1 MiB header
 * limit; Weir keeps Node's stricter defaults, since a Node process serves every stream from one
 * event loop and each held socket or buffered body is shared memory.
 */

/** Largest body a stream endpoint accepts (`--max-body-size`); larger gets 413. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024

/** Largest request head (request line and headers) (`--max-header-size`); larger gets 431. Go: 1 MiB. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024

/** Time allowed to receive the request head (`--header-timeout`); then 408 and close. Go: none. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000

/** Time allowed to receive the whole request, body included (`--request-timeout`); then 408. Go: none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000

/** An idle keep-alive connection is closed after this long. Go: none (IdleTimeout 0, ReadTimeout 0). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000

export interface ServerLimits {
  /** Stream-endpoint bodies. API bodies are config documents and are bounded further (config/limits.ts). */
  maxBodyBytes: number
  maxHeaderBytes: number
  headersTimeoutMs: number
  requestTimeoutMs: number
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxHeaderBytes: DEFAULT_MAX_HEADER_BYTES,
  headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
}
