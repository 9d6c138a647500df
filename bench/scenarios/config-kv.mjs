// Config convergence with `--config-kv`: three Weir hosts follow one NATS KV bucket on loopback.
// A stream is created (POST) and then edited (PUT) through host A's API; measured: the time until
// A's API answers (A runs it), and until all three hosts serve it. The baseline, in the same run:
// the same POST on a fourth host without a bucket, from the request to its first answer (a worker
// spawn and build, no bucket round trip or watch).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startWeir, until, tagged } from '../lib/weir.mjs'
import { median, percentile } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'
import { freePort, natsServerPath } from '../lib/nats-server.mjs'

export const name = 'config-kv'
export const description = 'API write on one host to the stream serving on all 3 --config-kv hosts (p50/p95), vs an API create on a host without a bucket'

async function answer(w, id) {
  const r = await fetch(`${w.base}/${id}/in`, { method: 'POST', body: 'x' })
  return `${r.status} ${await r.text()}`
}

async function write(w, method, id, body) {
  const r = await fetch(`${w.base}/streams/${id}`, { method, body })
  if (r.status !== 200) throw new Error(`${method} /streams/${id} answered ${r.status}: ${await r.text()}`)
}

export async function run({ quick }) {
  const n = quick ? 3 : 10
  const port = await freePort()
  const store = mkdtempSync(join(tmpdir(), 'weir-bench-kv-'))
  const server = spawn(natsServerPath(), ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], { stdio: 'ignore' })
  const url = `nats://127.0.0.1:${port}/bench`
  const hosts = []
  try {
    progress('starting 3 --config-kv hosts and a plain one')
    for (let i = 0; i < 3; i++) hosts.push(await until('a --config-kv host', () => startWeir({ args: ['--config-kv', url] }), 60_000, 200))
    const plain = await startWeir({ args: [] })
    hosts.push(plain)
    const kvHosts = hosts.slice(0, 3)
    const [a] = kvHosts

    const creates = { answered: [], everywhere: [], plain: [] }
    const edits = { answered: [], everywhere: [] }
    for (let i = 1; i <= n; i++) {
      progress(`round ${i}/${n}`)
      const id = `s${i}`
      let t0 = performance.now()
      await write(plain, 'POST', id, tagged(`p${i}`))
      await until(`${id} on the plain host`, async () => (await answer(plain, id)) === `200 p${i}:x`, 60_000, 2)
      creates.plain.push(performance.now() - t0)

      t0 = performance.now()
      await write(a, 'POST', id, tagged(`c${i}`))
      creates.answered.push(performance.now() - t0)
      await Promise.all(kvHosts.map((h) => until(`${id} everywhere`, async () => (await answer(h, id)) === `200 c${i}:x`, 60_000, 2)))
      creates.everywhere.push(performance.now() - t0)

      t0 = performance.now()
      await write(a, 'PUT', id, tagged(`e${i}`))
      edits.answered.push(performance.now() - t0)
      await Promise.all(kvHosts.map((h) => until(`${id} edit everywhere`, async () => (await answer(h, id)) === `200 e${i}:x`, 60_000, 2)))
      edits.everywhere.push(performance.now() - t0)
    }
    const base = median(creates.plain)
    const row = (label, xs) => [label, median(xs).toFixed(0), percentile(xs, 95).toFixed(0), `${((median(xs) / base) * 100).toFixed(0)}%`]
    const rows = [
      row('API create, no bucket (baseline)', creates.plain),
      row('POST via bucket: host A answers 200', creates.answered),
      row('POST via bucket: serving on all 3 hosts', creates.everywhere),
      row('PUT via bucket: host A answers 200', edits.answered),
      row('PUT via bucket: new version on all 3 hosts', edits.everywhere),
    ]
    const summary = [
      ['p50 ms, POST through the bucket to serving on 3 hosts vs plain API create', median(creates.everywhere).toFixed(0), base.toFixed(0), (median(creates.everywhere) / base).toFixed(2) + 'x'],
      ['p50 ms, PUT through the bucket to new version on 3 hosts vs plain API create', median(edits.everywhere).toFixed(0), base.toFixed(0), (median(edits.everywhere) / base).toFixed(2) + 'x'],
    ]
    return {
      summary,
      title: `--config-kv: ${n} creates and ${n} edits through host A, 3 hosts on one nats-server (loopback)`,
      header: ['variant', 'p50 ms', 'p95 ms', 'vs baseline'],
      rows,
      data: { creates, edits },
    }
  } finally {
    for (const h of hosts) await h.stop().catch(() => {})
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    rmSync(store, { recursive: true, force: true })
  }
}
