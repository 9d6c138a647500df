#!/usr/bin/env node
// Takes the README's screenshots of the status page (docs/status-page.png, docs/status-stream.png):
// starts Weir on the bundled examples on a loopback port, adds a paused API stream and a stream
// with an error, lets the counters move, and shoots with Debian's chromium through playwright-core
// (a dev dependency; no browser is downloaded). Usage: node scripts/screenshot.mjs (after a build).
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const profile = mkdtempSync(join(tmpdir(), 'weir-shot-'))
// A stream file with a mistake, so the page shows a last error with its file, line and column.
// Made in the checkout (and removed) so the page shows a short relative path.
const extra = mkdtempSync(join(root, 'billing-'))
writeFileSync(join(extra, 'invoices.yaml'), 'input:\n  generate:\n    interval: 1s\n    mapping: \'root = {"n": counter()}\'\npipeline:\n  processors:\n    - mapping: \'root = this.n.totl()\'\noutput:\n  drop: {}\n')
const proc = spawn(process.execPath, ['dist/src/main.js', 'streams', '--set', 'http.address=127.0.0.1:0', '-r', 'examples/resources.yaml', 'examples/streams', relative(root, extra)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
let out = ''
proc.stdout.on('data', (d) => (out += d))
proc.stderr.on('data', (d) => (out += d))
const base = await new Promise((ok, fail) => {
  const t = setInterval(() => {
    const m = /Listening for HTTP requests at: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
    if (m) ok(m[1], clearInterval(t))
  }, 50)
  setTimeout(() => fail(new Error(`weir did not start:\n${out}`)), 30_000)
})
const post = (path, body) => fetch(base + path, { method: 'POST', body })
await post('/streams/orders', 'input:\n  generate:\n    interval: 20ms\n    mapping: \'root = {"order": counter(), "total": random_int(max: 500)}\'\npipeline:\n  processors:\n    - mapping: \'root = this.merge({"vat": this.total * 0.2})\'\noutput:\n  drop: {}\n')
await post('/streams/audit', 'input:\n  generate:\n    interval: 50ms\n    mapping: \'root = {"event": "login", "user": uuid_v4()}\'\noutput:\n  drop: {}\n')
await post('/streams/audit/pause')
// Typing through the uppercase example keeps its counters moving too.
const feeder = setInterval(() => void fetch(`${base}/echo/post`, { method: 'POST', body: '{"name":"ada"}' }).catch(() => {}), 50)

// A fresh profile directory, as playwright wants it given (not as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1480, height: 640 },
  deviceScaleFactor: 1,
})
try {
  const page = await browser.newPage()
  await page.goto(`${base}/ui`)
  // Two ticks of the summaries feed: rates need two readings.
  await page.waitForFunction(() => [...document.querySelectorAll('td[data-field="in"]')].some((td) => td.textContent !== '–' && td.textContent !== '0'), null, { timeout: 30_000 })
  await page.waitForTimeout(2500)
  mkdirSync(join(root, 'docs'), { recursive: true })
  await page.screenshot({ path: join(root, 'docs/status-page.png'), fullPage: true })
  await page.goto(`${base}/ui/streams/orders`)
  await page.selectOption('#tap-point', 'processor:0')
  await page.click('#tap-toggle')
  await page.waitForSelector('#tap-events li:nth-child(6)', { timeout: 30_000 })
  await page.screenshot({ path: join(root, 'docs/status-stream.png'), fullPage: false })
} finally {
  clearInterval(feeder)
  await browser.close()
  proc.kill('SIGTERM')
  rmSync(profile, { recursive: true, force: true })
  rmSync(extra, { recursive: true, force: true })
}
