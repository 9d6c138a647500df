// Reload: with `-w`, the time from writing a new config to the stream serving it (p50/p95), and
// the requests that failed while a load generator (its own process) kept posting throughout. The
// baseline is the floor of any reload: the same stream created through the REST API, from the
// POST to its first answer (a worker spawn and build, with no file watching or replacement), under
// the same background load.
import { startWeir, until, tagged } from '../lib/weir.mjs'
import { startLoadgen } from '../lib/procs.mjs'
import { median, percentile } from '../lib/stats.mjs'
import { progress } from '../lib/progress.mjs'


export const name = 'reload'
export const description = 'File edit to new config serving (p50/p95) and failed requests during reloads, vs creating the stream through the API'

export async function run({ quick }) {
  const edits = quick ? 5 : 20
  const w = await startWeir({ files: { 'a.yaml': tagged('v0') }, args: ['-w', '{dir}'] })
  let last = ''
  const answer = async (id) => {
    const r = await fetch(`${w.base}/${id}/in`, { method: 'POST', body: 'x' })
    last = `${r.status} ${await r.text()}`
    return last
  }
  let load
  try {
    await until('the stream to serve', async () => (await answer('a')) === '200 v0:x')
    // The watcher is set up just after start-up: repeat the first edit until it is seen.
    progress('waiting for the watcher')
    await until(
      'the watcher to see an edit',
      async () => {
        w.write('a.yaml', tagged('warm'))
        const deadline = performance.now() + 3000
        while (performance.now() < deadline) if ((await answer('a')) === '200 warm:x') return true
        return false
      },
      60_000,
    )

    load = await startLoadgen(`${w.base}/a/in`, 8, 'x')
    const reloads = []
    for (let i = 1; i <= edits; i++) {
      progress(`reload ${i}/${edits}`)
      const t0 = performance.now()
      w.write('a.yaml', tagged(`v${i}`))
      await until(`v${i} to serve`, async () => (await answer('a')) === `200 v${i}:x`, 60_000, 2).catch((err) => {
        throw new Error(`${err.message}; last answer ${last}; weir's log ends:\n${w.output().slice(-3000)}`)
      })
      reloads.push(performance.now() - t0)
    }
    const traffic = await load.stop()
    load = undefined

    // The creates run under the same load (on stream a), so both sides share the CPU alike.
    load = await startLoadgen(`${w.base}/a/in`, 8, 'x')
    const creates = []
    for (let i = 1; i <= (quick ? 3 : 10); i++) {
      progress(`API create ${i}`)
      const id = `b${i}`
      const t0 = performance.now()
      const r = await fetch(`${w.base}/streams/${id}`, { method: 'POST', body: tagged(`b${i}`) })
      if (r.status !== 200) throw new Error(`POST /streams/${id} answered ${r.status}: ${await r.text()}`)
      await until(`${id} to serve`, async () => (await answer(id)) === `200 b${i}:x`, 60_000, 2)
      creates.push(performance.now() - t0)
      await fetch(`${w.base}/streams/${id}`, { method: 'DELETE' })
    }
    const createTraffic = await load.stop()
    load = undefined

    // The watcher logs how long each replacement took once it started: the rest of a reload is
    // noticing the edit (file events, debounce, reading and linting the file).
    const updates = [...w.output().matchAll(/stream a reloaded from \S+ in (\d+)ms/g)].map((m) => Number(m[1])).slice(-edits)
    const failed = traffic.errors + traffic.non2xx
    const rows = [
      [
        'create through the API (baseline)',
        median(creates).toFixed(0),
        percentile(creates, 95).toFixed(0),
        '100%',
        '-',
        String(createTraffic.requests),
        String(createTraffic.errors + createTraffic.non2xx),
      ],
      [
        'file edit -> new config serving',
        median(reloads).toFixed(0),
        percentile(reloads, 95).toFixed(0),
        `${((median(reloads) / median(creates)) * 100).toFixed(0)}%`,
        updates.length ? median(updates).toFixed(0) : '-',
        String(traffic.requests),
        String(failed),
      ],
    ]
    const summary = [
      ['p50 ms, file edit to new config serving vs API create', median(reloads).toFixed(0), median(creates).toFixed(0), (median(reloads) / median(creates)).toFixed(2) + 'x'],
      ['p95 ms, file edit to new config serving vs API create', percentile(reloads, 95).toFixed(0), percentile(creates, 95).toFixed(0), (percentile(reloads, 95) / percentile(creates, 95)).toFixed(2) + 'x'],
      ['failed requests during reloads (of all sent)', String(failed), String(traffic.requests), ((failed / Math.max(1, traffic.requests)) * 100).toFixed(2) + '%'],
    ]
    return {
      summary,
      title: `Reload: ${edits} edits under load (8 connections), ${creates.length} API creates`,
      header: ['variant', 'p50 ms', 'p95 ms', 'vs create', 'replace p50 ms', 'requests', 'failed'],
      rows,
      data: { reloadsMs: reloads, createsMs: creates, replaceMs: updates, traffic, createTraffic },
    }
  } finally {
    await load?.stop().catch(() => {})
    await w.stop()
  }
}
