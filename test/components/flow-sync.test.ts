import { test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultRegistry } from '../../src/components/registry.js'
import { resolveComponent } from '../../src/config/component.js'
import { Message } from '../../src/message/message.js'
import type { ComponentContext, Processor } from '../../src/spec/index.js'
import { createLogger } from '../../src/util/logger.js'
import { settings } from '../stream/harness.js'

const registry = defaultRegistry()

/** A context that builds nested processors straight from the registry (no metrics, no logs). */
function context(path: string): ComponentContext {
  return {
    stream: 'sync',
    path,
    label: '',
    logger: createLogger(settings('OFF'), {}),
    metrics: { counter: () => ({ inc() {} }), gauge: () => ({ set() {} }), timer: () => ({ observe() {} }) },
    resources: {
      cache: () => assert.fail(),
      rateLimit: () => assert.fail(),
      input: () => assert.fail(),
      output: () => assert.fail(),
      inprocInput: () => assert.fail(),
      inprocOutput: () => assert.fail(),
      hasCache: () => false,
      hasRateLimit: () => false,
      hasInput: () => false,
      hasOutput: () => false,
      componentConfig: () => undefined,
    },
    endpoints: { register() {} },
    configDir: '',
    signal: new AbortController().signal,
    build: async (kind, raw, rel) => {
      const r = resolveComponent(kind, raw, registry, `${path}.${rel}`)
      return r.spec.build(r.conf, context(`${path}.${rel}`))
    },
  }
}

async function build(raw: Record<string, unknown>): Promise<Processor> {
  const r = resolveComponent('processor', raw, registry, 'p')
  return r.spec.build(r.conf, context('p'))
}

const MAP = { mapping: 'root = content().string() + "!"' }
const SLEEP = { sleep: { duration: '1ms' } }

const shapes = (child: unknown): Record<string, unknown>[] => [
  { try: [child] },
  { catch: [child] },
  { try_catch: { processors: [child], catch: [child] } },
  { switch: [{ check: 'true', processors: [child] }] },
  { for_each: [child] },
  { processors: [child] },
  { branch: { processors: [child], result_map: 'root = content()' } },
  { workflow: { meta_path: '', branches: { a: { processors: [child], result_map: 'root = content()' } } } },
]

// Over synchronous children the composition processors answer within the call, which keeps an
// http_server stream on the engine's direct lane; one asynchronous child makes them asynchronous.
test('composition processors are synchronous exactly when their children are', async () => {
  for (const raw of shapes(MAP)) {
    const p = await build(raw)
    const name = Object.keys(raw)[0]!
    assert.equal(p.synchronous, true, name)
    const out = p.process([new Message('a'), new Message('b')])
    assert.ok(Array.isArray(out), `${name} answered with a promise`)
    assert.deepEqual(out.flat().map((m) => m.text()), name === 'catch' ? ['a', 'b'] : ['a!', 'b!'], name)
    await p.close()
  }
  for (const raw of shapes(SLEEP)) {
    const p = await build(raw)
    assert.notEqual(p.synchronous, true, Object.keys(raw)[0])
    const out = p.process([new Message('a')])
    if (Object.keys(raw)[0] !== 'catch') assert.ok(!Array.isArray(out), `${Object.keys(raw)[0]} should have waited`)
    await out
    await p.close()
  }
})
