/**
 * The status page in a real headless browser: Debian's chromium driven by playwright-core (no
 * browser is downloaded). One browser for this file; every wait is a poll with a generous deadline.
 * Skips, loudly, when chromium is not installed.
 */
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startHost, type RunningHost } from '../helpers/cli-host.js'

const DEADLINE = 60_000

function findChromium(): string | undefined {
  for (const p of [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && existsSync(p)) return p
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim() || undefined
  } catch {
    return undefined
  }
}

const CHROMIUM = findChromium()
const MISSING = 'chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)'
if (!CHROMIUM) console.error(`# SKIPPING the status page browser tests: ${MISSING}`)

let browser: BrowserContext | undefined
let profile = ''

before(async () => {
  if (!CHROMIUM) return
  profile = mkdtempSync(join(tmpdir(), 'weir-chromium-'))
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: DEADLINE,
  })
})

after(async () => {
  await browser?.close()
  if (profile) rmSync(profile, { recursive: true, force: true })
})

const TICK = (ms: string): string => `input:
  generate:
    interval: ${ms}
    mapping: 'root = {"n": counter()}'
output:
  drop: {}
`
const BROKEN = `input:
  generate:
    interval: 1s
    mapping: 'root = {"n": counter()}'
pipeline:
  processors:
    - mapping: 'root = this.n.nope_not_a_method()'
output:
  drop: {}
`

/** Every URL the page asks for, to check that none leaves the host. */
function recordRequests(page: Page): string[] {
  const urls: string[] = []
  page.on('request', (r) => urls.push(r.url()))
  return urls
}

async function stateOf(page: Page, id: string): Promise<string | null> {
  return page.locator(`tr[data-stream="${id}"] .state`).getAttribute('data-state', { timeout: DEADLINE })
}

async function received(page: Page, id: string): Promise<number> {
  const title = (await page.locator(`tr[data-stream="${id}"] td[data-field="in"]`).getAttribute('title', { timeout: DEADLINE })) ?? ''
  return Number(/^(\d+) received$/.exec(title)?.[1] ?? NaN)
}

async function apiState(h: RunningHost, id: string): Promise<string> {
  return (await h.json<{ state: string }>(`/streams/${id}`)).body.state
}

test('the status page lists streams live, shows a pause made through the API, and resumes on a click', { skip: CHROMIUM ? false : MISSING }, async (t) => {
  const h = await startHost(t, { files: { 'streams/ticker.yaml': TICK('20ms'), 'streams/broken.yaml': BROKEN }, args: ['{dir}/streams'] })
  const created = await h.text('/streams/api_one', { method: 'POST', body: TICK('50ms') })
  assert.equal(created.status, 200, created.body)
  await h.until('ticker running', async () => (await apiState(h, 'ticker')) === 'running', DEADLINE)

  const page = await browser!.newPage()
  t.after(() => page.close())
  const urls = recordRequests(page)
  await page.goto(`${h.base}/`, { timeout: DEADLINE })

  // Every stream with its state and source.
  await page.locator('tr[data-stream="api_one"]').waitFor({ timeout: DEADLINE })
  await h.until('the page to show every stream', async () => (await page.locator('tbody tr').count()) === 3, DEADLINE)
  assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stream'))), ['api_one', 'broken', 'ticker'])
  await h.until('ticker shown running', async () => (await stateOf(page, 'ticker')) === 'running', DEADLINE)
  assert.equal(await page.locator('tr[data-stream="api_one"] td[data-field="source"]').textContent(), 'API')
  assert.match((await page.locator('tr[data-stream="ticker"] td[data-field="source"]').textContent()) ?? '', /streams\/ticker\.yaml$/)

  // The failed stream shows its last error with file, line and column.
  await h.until('broken shown failed', async () => (await stateOf(page, 'broken')) === 'failed', DEADLINE)
  const where = (await page.locator('tr[data-stream="broken"] td[data-field="error"] .where').textContent()) ?? ''
  assert.match(where, /streams\/broken\.yaml:\d+:\d+/, where)

  // Counters grow without a reload.
  const navigations: string[] = []
  page.on('framenavigated', (f) => navigations.push(f.url()))
  const before = await h.until('a first count', async () => {
    const n = await received(page, 'ticker')
    return Number.isFinite(n) && n > 0 ? n : undefined
  }, DEADLINE)
  await h.until('the count to grow on the page', async () => (await received(page, 'ticker')) > before, DEADLINE)
  assert.deepEqual(navigations, [], 'the page never reloaded')

  // A pause made through the API shows up; clicking resume resumes.
  const paused = await h.text('/streams/ticker/pause', { method: 'POST' })
  assert.equal(paused.status, 200)
  await h.until('the page to show ticker paused', async () => (await stateOf(page, 'ticker')) === 'paused', DEADLINE)
  const resume = page.locator('tr[data-stream="ticker"] button[data-action="resume"]')
  await resume.waitFor({ timeout: DEADLINE })
  await resume.click({ timeout: DEADLINE })
  await h.until('the API to report ticker running after the click', async () => (await apiState(h, 'ticker')) === 'running', DEADLINE)
  await h.until('the page to show ticker running again', async () => (await stateOf(page, 'ticker')) === 'running', DEADLINE)

  const origin = new URL(h.base).origin
  const away = urls.filter((u) => new URL(u).origin !== origin)
  assert.deepEqual(away, [], 'every request the page made went to the host itself')
  assert.ok(urls.length >= 2, `the page and its feed were requested: ${urls.join(', ')}`)
})

test("a stream's page shows its config with secrets scrubbed and a live tap", { skip: CHROMIUM ? false : MISSING }, async (t) => {
  const h = await startHost(t, { files: { 'streams/ticker.yaml': TICK('20ms') }, args: ['{dir}/streams'] })
  const withSecret = `input:
  generate:
    interval: 20ms
    mapping: 'root = {"n": counter()}'
output:
  http_client:
    url: http://127.0.0.1:9/never
    basic_auth:
      enabled: true
      username: ada
      password: hunter2
`
  assert.equal((await h.text('/streams/secretive', { method: 'POST', body: withSecret })).status, 200)
  const page = await browser!.newPage()
  t.after(() => page.close())
  const urls = recordRequests(page)
  await page.goto(`${h.base}/ui/streams/secretive`, { timeout: DEADLINE })
  await h.until('the config to load', async () => ((await page.locator('#config').textContent()) ?? '').includes('basic_auth'), DEADLINE)
  const config = (await page.locator('#config').textContent()) ?? ''
  assert.ok(!config.includes('hunter2'), config)
  assert.match(config, /"password": "!!!SECRET_SCRUBBED!!!"/)

  await page.goto(`${h.base}/ui/streams/ticker`, { timeout: DEADLINE })
  await h.until('tap points listed', async () => (await page.locator('#tap-point option').count()) === 2, DEADLINE)
  await page.selectOption('#tap-point', 'input')
  await page.click('#tap-toggle')
  await page.locator('#tap-events li').nth(2).waitFor({ timeout: DEADLINE })
  const text = (await page.locator('#tap-events li').first().textContent()) ?? ''
  assert.match(text, /\{"n":\d+\}/)
  await h.until('the worker to sample the input', async () => ((await h.json<{ taps?: string[] }>('/streams/ticker/stats')).body.taps ?? []).includes('input'), DEADLINE)
  await page.click('#tap-toggle')
  await h.until('the worker to stop sampling once the page stopped the tap', async () => (await h.json<{ taps?: string[] }>('/streams/ticker/stats')).body.taps === undefined, DEADLINE)
  const origin = new URL(h.base).origin
  assert.deepEqual(urls.filter((u) => new URL(u).origin !== origin), [])
})
