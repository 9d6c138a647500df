/**
 * `socket_server`, `socket` input and `socket` output through the real CLI, over real TCP, TLS,
 * UDP and Unix sockets on loopback.
 */
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

/** A loopback TCP (or Unix) server that records what it receives; `onConn` may talk first. */
async function sink(t: TestContext, path?: string, onConn?: (s: Socket) => void): Promise<{ where: string; data: () => string; server: Server }> {
  let data = ''
  const server = createServer((s) => {
    s.on('data', (d) => (data += d.toString()))
    s.on('error', () => {})
    onConn?.(s)
  })
  await new Promise<void>((r) => (path ? server.listen(path, r) : server.listen(0, '127.0.0.1', r)))
  t.after(() => server.close())
  const a = server.address()
  return { where: typeof a === 'string' ? a : `127.0.0.1:${a!.port}`, data: () => data, server }
}

/** The address a `socket_server` logged once it listened (`127.0.0.1:0` picks a free port). */
function listening(h: RunningHost, network: string, stream: string): Promise<string> {
  return h.until(`${stream} to listen`, () => {
    const line = h.stdout().split('\n').find((l) => l.includes(`stream=${stream}`) && l.includes(`Receiving ${network} socket messages from address: `))
    return line?.match(/from address: ([^"]+)"/)?.[1]
  })
}

function streamConfig(input: string, output: string, mapping = 'root = content().uppercase()'): string {
  return `input:\n${input}\npipeline:\n  processors:\n    - mapping: '${mapping}'\noutput:\n${output}\n`
}

test('socket_server over TCP feeds a stream whose socket output writes to TCP: lines in, lines out', async (t) => {
  const out = await sink(t)
  const h = await startHost(t, {
    files: {
      'streams/tcp.yaml': streamConfig(
        '  socket_server:\n    network: tcp\n    address: 127.0.0.1:0\n    address_cache: addrs',
        `  socket:\n    network: tcp\n    address: ${out.where}`,
      ),
      'res.yaml': 'cache_resources:\n  - label: addrs\n    memory: {}\n',
    },
    args: ['-r', '{dir}/res.yaml', '{dir}/streams'],
  })
  const addr = await listening(h, 'tcp', 'tcp')
  assert.match(addr, /^127\.0\.0\.1:\d+$/)
  const [host, port] = [addr.split(':')[0]!, Number(addr.split(':')[1])]
  const c = connect(port, host)
  c.write('alpha\nbeta\n')
  c.end('gamma\n')
  await h.until('three lines at the sink', () => (out.data() === 'ALPHA\nBETA\nGAMMA\n' ? true : undefined))
  // Two clients at once, each split on its own.
  const [a, b] = [connect(port, host), connect(port, host)]
  a.write('one')
  b.write('two\n')
  a.end('\n')
  b.end()
  await h.until('both clients at the sink', () => (out.data().includes('ONE\n') && out.data().includes('TWO\n') ? true : undefined))
})

test('socket_server over UDP and Unix sockets; socket output over UDP and Unix', async (t) => {
  const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'weir-sock-'))
  t.after(() => (import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true }))))
  const unixOut = await sink(t, join(dir, 'out.sock'))
  const udpOut = createSocket('udp4')
  const datagrams: string[] = []
  udpOut.on('message', (m) => datagrams.push(m.toString()))
  await new Promise<void>((r) => udpOut.bind(0, '127.0.0.1', r))
  t.after(() => udpOut.close())
  const h = await startHost(t, {
    files: {
      'streams/udp.yaml': streamConfig('  socket_server:\n    network: udp\n    address: 127.0.0.1:0', `  socket:\n    network: unix\n    address: ${unixOut.where}`),
      'streams/unix.yaml': streamConfig(`  socket_server:\n    network: unix\n    address: ${join(dir, 'in.sock')}`, `  socket:\n    network: udp\n    address: 127.0.0.1:${udpOut.address().port}`),
    },
    args: ['{dir}/streams'],
  })
  const udpAddr = await listening(h, 'udp', 'udp')
  const client = createSocket('udp4')
  t.after(() => client.close())
  client.send('from udp\n', Number(udpAddr.split(':')[1]), '127.0.0.1')
  await h.until('the datagram at the unix sink', () => (unixOut.data() === 'FROM UDP\n' ? true : undefined))
  const unixAddr = await listening(h, 'unix', 'unix')
  assert.equal(unixAddr, join(dir, 'in.sock'))
  const u = connect(unixAddr)
  u.end('first\nsecond\n')
  // Each message is one datagram, with the codec's newline.
  await h.until('two datagrams', () => (datagrams.length >= 2 ? true : undefined))
  assert.deepEqual(datagrams, ['FIRST\n', 'SECOND\n'])
})

test('socket_server over TLS with a self-signed certificate', async (t) => {
  const out = await sink(t)
  const h = await startHost(t, {
    files: {
      'streams/tls.yaml': streamConfig('  socket_server:\n    network: tls\n    address: 127.0.0.1:0\n    tls:\n      self_signed: true', `  socket:\n    network: tcp\n    address: ${out.where}`),
    },
    args: ['{dir}/streams'],
  })
  const addr = await listening(h, 'tls', 'tls')
  const c = tlsConnect({ host: '127.0.0.1', port: Number(addr.split(':')[1]), rejectUnauthorized: false })
  await new Promise<void>((r) => c.once('secureConnect', r))
  assert.equal(c.getPeerCertificate().subject.CN, 'weir')
  c.end('secret\n')
  await h.until('the line at the sink', () => (out.data() === 'SECRET\n' ? true : undefined))
})

test('socket input: sends its open message, reads lines, and reconnects when the server hangs up', async (t) => {
  let conns = 0
  const greetings: string[] = []
  const upstream = await sink(t, undefined, (s) => {
    const n = ++conns
    s.once('data', (d) => {
      greetings.push(d.toString())
      s.end(`hello ${n}\nbye ${n}\n`)
    })
  })
  const out = await sink(t)
  const h = await startHost(t, {
    files: {
      'streams/client.yaml': streamConfig(
        `  socket:\n    network: tcp\n    address: ${upstream.where}\n    open_message_mapping: 'root = "user,pass"'`,
        `  socket:\n    network: tcp\n    address: ${out.where}`,
      ),
    },
    args: ['{dir}/streams'],
  })
  await h.until('two connections worth of lines', () => (out.data().includes('HELLO 2\nBYE 2\n') ? true : undefined))
  assert.ok(out.data().startsWith('HELLO 1\nBYE 1\nHELLO 2\nBYE 2\n'), out.data())
  assert.deepEqual(greetings.slice(0, 2), ['user,pass', 'user,pass'])
})

test('socket components: bad settings are located errors', async (t) => {
  const h = await startHost(t, {
    files: {
      'streams/nocache.yaml': streamConfig('  socket_server:\n    network: tcp\n    address: 127.0.0.1:0\n    address_cache: nope', '  drop: {}'),
      'streams/gram.yaml': streamConfig('  socket_server:\n    network: unixgram\n    address: /tmp/x.sock', '  drop: {}'),
      'streams/notls.yaml': streamConfig('  socket_server:\n    network: tls\n    address: 127.0.0.1:0', '  drop: {}'),
    },
    args: ['{dir}/streams'],
  })
  const lines = await h.until('three streams to fail to build', () => {
    const failed = h.stdout().split('\n').filter((l) => l.includes('failed to create stream'))
    return failed.length >= 3 ? failed.join('\n') : undefined
  })
  assert.match(lines, /nocache\.yaml\(\d+,\d+\) cache named nope not found \[input\.socket_server\.address_cache\]/)
  assert.match(lines, /gram\.yaml\(\d+,\d+\) unixgram sockets are not supported: Node\.js has no Unix datagram sockets \[input\.socket_server\.network\]/)
  assert.match(lines, /notls\.yaml\(\d+,\d+\) must specify either a certificate file or enable self signed \[input\.socket_server\.tls\]/)
})
