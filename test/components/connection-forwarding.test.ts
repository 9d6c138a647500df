/**
 * Wrappers pass their children's connection changes up to the engine: a test input and output on
 * a link the test switches down and up (reporting through `watchConnection` only, as a NATS link
 * does between reads) sit inside each wrapper, and the statuses the stream reports (what the
 * worker posts to the host for `/ready`) must follow. Nothing is read or written meanwhile, so no
 * read or write error could tell the engine instead.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defineComponent, f, NotConnectedError, type Input, type Output } from '../../src/spec/index.js'
import type { ConnectionStatus } from '../../src/protocol/messages.js'
import { abortError } from '../../src/util/channel.js'
import { startStream, until } from '../stream/harness.js'

/** A connection the test switches; components on it tell their watchers of each switch. */
class Link {
  up = true
  readonly #watchers = new Set<() => void>()

  watch(fn: () => void): void {
    this.#watchers.add(fn)
  }

  set(up: boolean): void {
    this.up = up
    for (const fn of this.#watchers) fn()
  }
}

const links = new Map<string, Link>()
const link = (name: string): Link => links.get(name) ?? links.set(name, new Link()).get(name)!

const linkField = f.object('', [f.string('link')])

const linkedOutput = defineComponent({
  kind: 'output',
  name: 'linked',
  config: linkField,
  build: (c): Output => {
    const l = link(c.link)
    return {
      maxInFlight: 1,
      connect: async () => {
        if (!l.up) throw new NotConnectedError()
      },
      connected: () => l.up,
      watchConnection: (fn) => l.watch(fn),
      close: async () => {},
      write: async () => {
        if (!l.up) throw new NotConnectedError()
      },
    }
  },
})

const linkedInput = defineComponent({
  kind: 'input',
  name: 'linked',
  config: linkField,
  build: (c): Input => {
    const l = link(c.link)
    return {
      connect: async () => {
        if (!l.up) throw new NotConnectedError()
      },
      connected: () => l.up,
      watchConnection: (fn) => l.watch(fn),
      close: async () => {},
      // Never yields: the link's state reaches the engine through watchConnection alone.
      read: (signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(abortError(signal)), { once: true })),
    }
  },
})

const quiet = (name: string) => ({ linked: { link: `${name}-quiet` } })
const on = (name: string) => ({ linked: { link: name } })

/** Output wrappers around `on(name)`; a second child, where there is one, stays up. */
const OUTPUTS: [string, (name: string) => unknown][] = [
  ['fallback', (n) => ({ fallback: [on(n), { drop: {} }] })],
  ['broker fan_out', (n) => ({ broker: { pattern: 'fan_out', outputs: [on(n), { drop: {} }] } })],
  ['broker round_robin', (n) => ({ broker: { pattern: 'round_robin', outputs: [{ drop: {} }, on(n)] } })],
  ['broker with batching', (n) => ({ broker: { outputs: [on(n)], batching: { count: 5 } } })],
  ['switch', (n) => ({ switch: { cases: [{ check: 'false', output: { drop: {} } }, { output: on(n) }] } })],
  ['switch retry_until_success', (n) => ({ switch: { retry_until_success: true, cases: [{ output: on(n) }, { output: { drop: {} } }] } })],
  ['retry', (n) => ({ retry: { output: on(n) } })],
  ['drop_on', (n) => ({ drop_on: { error: true, output: on(n) } })],
  ['reject_errored', (n) => ({ reject_errored: on(n) })],
  ['nested', (n) => ({ fallback: [{ reject_errored: { retry: { output: on(n) } } }, { drop: {} }] })],
]

/** Input wrappers around `on(name)`. */
const INPUTS: [string, (name: string) => unknown][] = [
  ['broker', (n) => ({ broker: { inputs: [on(n), quiet(n)] } })],
  ['broker, one child', (n) => ({ broker: { inputs: [on(n)] } })],
  ['broker with batching', (n) => ({ broker: { inputs: [on(n), quiet(n)], batching: { count: 5 } } })],
  ['batched', (n) => ({ batched: { child: on(n), policy: { count: 5 } } })],
  ['sequence', (n) => ({ sequence: { inputs: [on(n), quiet(n)] } })],
  ['read_until', (n) => ({ read_until: { check: 'false', input: on(n) } })],
  ['with processors', (n) => ({ ...on(n), processors: [{ mapping: 'root = this' }] })],
]

async function followsLink(t: import('node:test').TestContext, name: string, config: Record<string, unknown>, path: 'input' | 'output'): Promise<void> {
  let last: ConnectionStatus[] = []
  const { stream } = await startStream(t, config, { id: name, extraSpecs: [linkedOutput, linkedInput], onStatus: (s) => (last = s) })
  const reported = (): boolean | undefined => last.find((s) => s.path === path)?.connected
  await until(`${name}: reported connected`, () => reported() === true)
  link(name).set(false)
  await until(`${name}: reported disconnected`, () => reported() === false)
  assert.equal(stream.statuses().find((s) => s.path === path)?.connected, false)
  link(name).set(true)
  await until(`${name}: reported connected again`, () => reported() === true)
}

for (const [what, wrap] of OUTPUTS) {
  test(`output ${what}: the reported status follows a child's link`, async (t) => {
    const name = `out-${what.replaceAll(' ', '-')}`
    await followsLink(t, name, { input: quiet(name), output: wrap(name) }, 'output')
  })
}

for (const [what, wrap] of INPUTS) {
  test(`input ${what}: the reported status follows a child's link`, async (t) => {
    const name = `in-${what.replaceAll(/[ ,]+/g, '-')}`
    await followsLink(t, name, { input: wrap(name), output: { drop: {} } }, 'input')
  })
}

test('broker input: connected while every child still reading is, ended children aside', async (t) => {
  let last: ConnectionStatus[] = []
  const config = { input: { broker: { inputs: [on('ended'), { generate: { count: 1, interval: '', mapping: 'root = 1' } }] } }, output: { drop: {} } }
  await startStream(t, config, { id: 'ended', extraSpecs: [linkedOutput, linkedInput], onStatus: (s) => (last = s) })
  const input = (): boolean | undefined => last.find((s) => s.path === 'input')?.connected
  await until('connected, the generate child having ended', () => input() === true)
  link('ended').set(false)
  await until('one child down of those still reading: not connected', () => input() === false)
  link('ended').set(true)
  await until('connected again', () => input() === true)
})
