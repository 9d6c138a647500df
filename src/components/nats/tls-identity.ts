/**
 * The server-name check for NATS over TLS. The nats.js client upgrades a plain socket to TLS and
 * names no server when the URL's host is an IP address (SNI forbids IPs), and Node then checks the
 * certificate against 'localhost': a server at nats://10.0.0.5 with a certificate for IP 10.0.0.5
 * was refused (ERR_TLS_CERT_ALTNAME_INVALID) where the reference's Go client accepts it. Here the
 * check uses the address the socket is connected to in that case, so IP SANs work; a named host
 * is checked as before, and when the address cannot be known the default check stands (it fails
 * closed).
 */
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { isIP, type Socket } from 'node:net'

/** Node calls this as a method of the connect options, which hold the upgraded socket. */
export function natsServerIdentity(this: { servername?: string; host?: string; socket?: Socket } | undefined, hostname: string, cert: PeerCertificate): Error | undefined {
  const named = this?.servername || this?.host
  const address = this?.socket?.remoteAddress
  if (!named && hostname === 'localhost' && address !== undefined && isIP(address) !== 0) {
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d; certificates name a.b.c.d.
    return checkServerIdentity(address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ''), cert)
  }
  return checkServerIdentity(hostname, cert)
}
