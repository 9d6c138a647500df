// The streams list: one row per stream, kept and updated in place from the summaries feed.
const body = document.querySelector('#streams tbody')
const empty = document.getElementById('empty')
const notice = document.getElementById('notice')
const totals = document.getElementById('totals')
const rows = new Map()

function makeRow(id) {
  const cell = (field, cls) => el('td', { class: cls || '', 'data-field': field })
  const r = {
    tr: el('tr', { 'data-stream': id }),
    state: cell('state'),
    source: cell('source', 'src'),
    uptime: cell('uptime', 'num'),
    restarts: cell('restarts', 'num'),
    in: cell('in', 'num'),
    out: cell('out', 'num'),
    errors: cell('errors', 'num'),
    error: cell('error', 'err'),
    buttons: controls(id, notice),
  }
  r.tr.append(
    el('td', {}, el('a', { href: `${BASE}/ui/streams/${encodeURIComponent(id)}` }, id)),
    r.state, r.source, r.uptime, r.restarts, r.in, r.out, r.errors, r.error,
    el('td', { class: 'actions-cell' }, ...r.buttons.nodes),
  )
  return r
}

function fill(r, s) {
  if (r.state.dataset.value !== s.state) {
    r.state.dataset.value = s.state
    r.state.replaceChildren(stateBadge(s.state))
  }
  r.source.textContent = sourceText(s.source)
  r.uptime.textContent = uptime(s.uptime)
  r.restarts.textContent = String(s.restarts)
  r.in.textContent = rate(s.in_rate)
  r.in.title = s.received === null ? '' : `${s.received} received`
  r.out.textContent = rate(s.out_rate)
  r.out.title = s.sent === null ? '' : `${s.sent} sent`
  r.errors.textContent = rate(s.error_rate)
  r.errors.title = s.errors === null ? '' : `${s.errors} errors`
  r.errors.classList.toggle('nonzero', Boolean(s.error_rate))
  const err = errorParts(s.last_error, s.source)
  const key = err ? `${err.message}\n${err.where}` : ''
  if (r.error.dataset.value !== key) {
    r.error.dataset.value = key
    r.error.replaceChildren(...(err ? [err.message, el('span', { class: 'where' }, err.where)] : []))
  }
  r.buttons.set(s.state)
}

summaries((snap) => {
  const seen = new Set()
  for (const s of snap.streams) {
    seen.add(s.id)
    let r = rows.get(s.id)
    if (!r) rows.set(s.id, (r = makeRow(s.id)))
    fill(r, s)
  }
  for (const [id, r] of rows) {
    if (!seen.has(id)) {
      r.tr.remove()
      rows.delete(id)
    }
  }
  // In the feed's order (by id); rows move only when that order changed.
  const want = snap.streams.map((s) => rows.get(s.id).tr)
  if (want.length !== body.children.length || want.some((tr, i) => body.children[i] !== tr)) body.replaceChildren(...want)
  empty.hidden = snap.streams.length > 0
  const count = (pred) => snap.streams.filter(pred).length
  const sum = (k) => snap.streams.reduce((a, s) => a + (s[k] || 0), 0)
  totals.replaceChildren(
    card(snap.streams.length, 'streams'),
    card(count((s) => s.state === 'running'), 'running'),
    card(count((s) => s.state === 'paused'), 'paused'),
    card(count((s) => ['failed', 'crash_looping', 'restarting'].includes(s.state)), 'failing'),
    card(rate(sum('in_rate')), 'messages in /s'),
    card(rate(sum('out_rate')), 'messages out /s'),
  )
})
