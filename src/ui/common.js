// Shared by both pages (inlined before the page's own script). Plain browser JS, no framework:
// everything shown from the server goes in through textContent, never as HTML.
'use strict'
const BASE = document.documentElement.dataset.base || ''

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v)
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c))
  return e
}

/** A figure with its label, as both pages' summary cards show it. */
function card(value, label) {
  return el('div', { class: 'card' }, el('div', { class: 'v' }, value), el('div', { class: 'k' }, label))
}

function streamPath(id, rest) {
  return `${BASE}/streams/${encodeURIComponent(id)}${rest || ''}`
}

/** POST to a stream control route; the answer's text is shown when it fails. */
async function control(id, action, notice) {
  const res = await fetch(streamPath(id, `/${action}`), { method: 'POST' })
  if (!res.ok) {
    notice.hidden = false
    notice.textContent = `${action} ${id}: ${res.status} ${(await res.text()).trim()}`
  } else {
    notice.hidden = true
  }
}

function rate(v) {
  if (v === null || v === undefined) return '–'
  if (v === 0) return '0'
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)
}

function uptime(seconds) {
  const s = Math.floor(seconds)
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d) return `${d}d ${h}h`
  if (h) return `${h}h ${m}m`
  if (m) return `${m}m ${s % 60}s`
  return `${s}s`
}

function sourceText(source) {
  return source === 'api' ? 'API' : source
}

/** `message` and where: `file:line:column (config path)`. */
function errorParts(e, source) {
  if (!e) return null
  const file = source && source !== 'api' ? source : ''
  let at = ''
  if (e.line !== null && e.line !== undefined) at = `${file || 'line'}${file ? ':' : ' '}${e.line}${e.column ? `:${e.column}` : ''}`
  else if (file) at = file
  const where = [at, e.path ? e.path : ''].filter(Boolean).join(' · ')
  return { message: e.message, where }
}

function stateBadge(state) {
  return el('span', { class: `state ${state}`, 'data-state': state }, state.replace('_', ' '))
}

/** The summaries feed: `onSummary` gets every snapshot; the dot shows whether it is live. */
function summaries(onSummary) {
  const dot = document.getElementById('live')
  const text = document.getElementById('live-text')
  const src = new EventSource(`${BASE}/ui/summaries`)
  src.addEventListener('summary', (ev) => {
    dot.className = 'dot on'
    const snap = JSON.parse(ev.data)
    text.textContent = `live · ${new Date(snap.at).toLocaleTimeString()}`
    onSummary(snap)
  })
  src.addEventListener('error', () => {
    dot.className = 'dot off'
    text.textContent = 'reconnecting…'
  })
  return src
}

/**
 * Pause/resume and restart buttons for one stream, updated in place by `set` (rebuilding them
 * every second would swallow a click that lands between two updates).
 */
function controls(id, notice) {
  let last = ''
  const act = (ev) => {
    const b = ev.currentTarget
    b.disabled = true
    // Enabled again by the next summary, whatever the answer was.
    void control(id, b.dataset.action, notice).finally(() => (last = ''))
  }
  const toggle = el('button', { onclick: act })
  const restart = el('button', { 'data-action': 'restart', onclick: act }, 'Restart')
  return {
    nodes: [toggle, restart],
    set(state) {
      if (state === last) return
      last = state
      const paused = state === 'paused'
      toggle.dataset.action = paused ? 'resume' : 'pause'
      toggle.textContent = paused ? 'Resume' : 'Pause'
      toggle.disabled = !(paused || state === 'running')
      restart.disabled = state === 'stopping'
    },
  }
}
