// One stream: live figures, controls, its config (scrubbed by the API) and a live tap.
const ID = decodeURIComponent(location.pathname.split('/').pop())
const notice = document.getElementById('notice')
const cards = document.getElementById('cards')
const errorBox = document.getElementById('error')
const pointSelect = document.getElementById('tap-point')
const tapStatus = document.getElementById('tap-status')
const tapEvents = document.getElementById('tap-events')
const tapToggle = document.getElementById('tap-toggle')
const MAX_SHOWN = 200

document.title = `Weir · ${ID}`
document.getElementById('title').textContent = ID
document.getElementById('back').href = `${BASE}/ui`
const buttons = controls(ID, notice)
document.getElementById('actions').append(...buttons.nodes)

let generation = -1
async function loadConfig() {
  const pre = document.getElementById('config')
  const res = await fetch(streamPath(ID))
  if (!res.ok) {
    pre.textContent = `${res.status} ${(await res.text()).trim()}`
    return
  }
  const info = await res.json()
  pre.textContent = JSON.stringify(info.config, null, 2)
}

let points = ''
summaries((snap) => {
  const s = snap.streams.find((x) => x.id === ID)
  const state = document.getElementById('state')
  if (!s) {
    state.replaceChildren(stateBadge('stopping'))
    cards.replaceChildren(card('–', 'this stream no longer exists'))
    return
  }
  state.replaceChildren(stateBadge(s.state))
  buttons.set(s.state)
  cards.replaceChildren(
    card(sourceText(s.source), 'source'),
    card(uptime(s.uptime), 'uptime'),
    card(s.restarts, 'restarts'),
    card(rate(s.in_rate), 'in /s'),
    card(rate(s.out_rate), 'out /s'),
    card(rate(s.error_rate), 'errors /s'),
    card(s.received === null ? '–' : s.received, 'received'),
    card(s.sent === null ? '–' : s.sent, 'sent'),
  )
  const err = errorParts(s.last_error, s.source)
  errorBox.hidden = !err
  if (err) errorBox.replaceChildren(el('strong', {}, 'Last error: '), err.message, err.where ? el('div', { class: 'dim' }, err.where) : '')
  if (s.generation !== generation) {
    generation = s.generation
    void loadConfig()
  }
  const key = s.tap_points.join(',')
  if (key !== points && s.tap_points.length) {
    points = key
    const chosen = pointSelect.value || 'output'
    pointSelect.replaceChildren(...s.tap_points.map((p) => el('option', { value: p, selected: p === chosen }, p)))
  }
})

let tap
function stopTap() {
  if (tap) tap.close()
  tap = undefined
  tapToggle.textContent = 'Start tap'
  tapStatus.textContent = 'Not tapping. The stream samples nothing until someone listens.'
}

function startTap() {
  const q = new URLSearchParams({ point: pointSelect.value || 'output', rate: document.getElementById('tap-rate').value, max_bytes: document.getElementById('tap-bytes').value })
  tap = new EventSource(`${streamPath(ID, '/tap')}?${q}`)
  tapToggle.textContent = 'Stop tap'
  tapStatus.textContent = 'Connecting…'
  tap.addEventListener('open', (ev) => {
    if (!ev.data) return
    const o = JSON.parse(ev.data)
    tapStatus.textContent = `Tapping ${o.point}: at most ${o.rate} events/s, ${o.max_bytes} bytes each.`
  })
  tap.addEventListener('message', (ev) => {
    const e = JSON.parse(ev.data)
    const meta = Object.entries(e.metadata).map(([k, v]) => `${k}=${v}`).join(' ')
    const flags = [e.truncated ? `truncated (${e.bytes} bytes)` : '', e.skipped ? `${e.skipped} skipped` : '', e.error ? `error: ${e.error}` : ''].filter(Boolean).join(' · ')
    tapEvents.prepend(
      el('li', {},
        el('div', { class: 'meta' }, `${new Date(e.at).toLocaleTimeString()} · ${e.point}${meta ? ` · ${meta}` : ''}`),
        el('div', {}, e.content),
        flags ? el('div', { class: 'flag' }, flags) : null),
    )
    while (tapEvents.children.length > MAX_SHOWN) tapEvents.lastElementChild.remove()
  })
  tap.addEventListener('end', (ev) => {
    tapStatus.textContent = `${JSON.parse(ev.data).reason}; reconnecting to the new worker…`
  })
  tap.addEventListener('error', () => {
    if (tap && tap.readyState === EventSource.CLOSED) {
      tapStatus.textContent = 'The tap was refused (is the stream running?).'
      tap = undefined
      tapToggle.textContent = 'Start tap'
    }
  })
}

document.getElementById('tap-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  if (tap) stopTap()
  else startTap()
})
