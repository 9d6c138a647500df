/**
 * A URL as it may be shown in an error, a log line or a stream's source: any user info (a
 * `user:password` pair, or a lone token, as NATS reads a bare user name) becomes `***`. Works on
 * text that does not parse as a URL too, since that is exactly what errors quote.
 */
export function maskUserInfo(url: string): string {
  return url.replace(/^([^:/]*:\/\/)[^@/]*@/, '$1***@')
}
