/**
 * Dialling for the `socket` input and output: `tcp` (`host:port`), `unix` (a path) and `udp`,
 * optionally wrapped in TLS, aborted with the stream.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'
import { abortError } from '../../util/channel.js'

/** Go's `host:port` split (`[::1]:6000` for IPv6); `op` names the failing call in errors. An empty host stays empty. */
export function splitHostPort(address: string, network = 'tcp', op = 'dial'): { host: string; port: number } {
  const i = address.lastIndexOf(':')
  if (i < 0) throw new Error(`${op} ${network}: address ${address}: missing port in address`)
  let host = address.slice(0, i)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const port = Number(address.slice(i + 1))
  if (address.slice(i + 1) === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${op} ${network}: address ${address}: invalid port`)
  return { host, port }
}

function dialTarget(address: string, network: string): { host: string; port: number } {
  const t = splitHostPort(address, network)
  return t.host === '' ? { host: 'localhost', port: t.port } : t
}

/** A connected stream socket; rejects with the connection error or when `signal` aborts. */
export function dialStream(network: string, address: string, tls: ConnectionOptions | undefined, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let target: { path: string } | { host: string; port: number }
    try {
      target = network === 'unix' ? { path: address } : dialTarget(address, network)
    } catch (err) {
      reject(err)
      return
    }
    const sock: Socket = tls ? tlsConnect({ ...tls, ...target }) : netConnect(target)
    const onAbort = (): void => {
      sock.destroy()
      reject(abortError(signal))
    }
    const cleanup = (): void => {
      signal.removeEventListener('abort', onAbort)
      sock.off('error', onError)
    }
    const onError = (err: Error): void => {
      cleanup()
      sock.destroy()
      reject(err)
    }
    sock.once(tls ? 'secureConnect' : 'connect', () => {
      cleanup()
      resolve(sock)
    })
    sock.once('error', onError)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}

/** A UDP socket connected to `address`, so each `send` is one datagram to it. */
export function dialUdp(address: string, signal: AbortSignal): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    let target: { host: string; port: number }
    try {
      target = dialTarget(address, 'udp')
    } catch (err) {
      reject(err)
      return
    }
    const sock = createSocket(target.host.includes(':') ? 'udp6' : 'udp4')
    const onAbort = (): void => {
      sock.close()
      reject(abortError(signal))
    }
    sock.once('error', (err) => {
      signal.removeEventListener('abort', onAbort)
      sock.close()
      reject(err)
    })
    sock.connect(target.port, target.host, () => {
      signal.removeEventListener('abort', onAbort)
      resolve(sock)
    })
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
}
