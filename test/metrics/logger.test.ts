/**
 * Log lines as logrus writes them for the reference (spec §14): logfmt quoting, key clashes, JSON
 * escapes, level filtering.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '../../src/util/logger.js'
import type { LoggerSettings } from '../../src/protocol/messages.js'

const BASE: LoggerSettings = { level: 'INFO', format: 'logfmt', addTimestamp: false, staticFields: {}, levelName: 'level', timestampName: 'time', messageName: 'msg' }

function capture(settings: Partial<LoggerSettings>, base: Record<string, unknown> = {}): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = []
  return { lines, log: createLogger({ ...BASE, ...settings }, base, (l) => lines.push(l)) }
}

test('logfmt values are quoted with Go %q only when logrus needs to', () => {
  const { lines, log } = capture({ staticFields: { '@service': 'benthos' } }, { stream: 'foo' })
  log.child({ label: '', path: 'root.pipeline.processors.0' }).info('tab\there "q" é\u0001', { ratio: 0.5, big: 1e21, n: 12, ok: true, none: null })
  assert.deepEqual(lines, [
    'level=info msg="tab\\there \\"q\\" é\\x01" @service=benthos big=1e+21 label="" n=12 none="<nil>" ok=true path=root.pipeline.processors.0 ratio=0.5 stream=foo\n',
  ])
})

test('fields named like the fixed keys become fields.<key> and sort as such', () => {
  const { lines, log } = capture({})
  log.warn('x', { msg: 'm', level: 'l', time: 't', a: 1 })
  assert.deepEqual(lines, ['level=warning msg=x a=1 fields.level=l fields.msg=m fields.time=t\n'])
})

test('JSON lines: sorted keys, Go escapes, custom key names apply to logfmt too', () => {
  const { lines, log } = capture({ format: 'json', levelName: 'severity', messageName: 'message' }, { stream: 's' })
  log.error('a & b\u2028', { err: new Error('boom') })
  assert.deepEqual(lines, ['{"err":"boom","message":"a \\u0026 b\\u2028","severity":"error","stream":"s"}\n'])
  const l2 = capture({ levelName: 'lvl', messageName: 'message' })
  l2.log.info('hi')
  assert.deepEqual(l2.lines, ['lvl=info message=hi\n'])
})

test('each level writes only what is at or above it; OFF and NONE write nothing', () => {
  const counts = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL', 'OFF', 'NONE', 'warn'].map((level) => {
    const { lines, log } = capture({ level })
    log.error('e')
    log.warn('w')
    log.info('i')
    log.debug('d')
    log.trace('t')
    return lines.length
  })
  assert.deepEqual(counts, [0, 1, 2, 3, 4, 5, 5, 0, 0, 2])
})

test('add_timestamp puts an RFC 3339 time first', () => {
  const { lines, log } = capture({ addTimestamp: true, timestampName: 'ts' })
  log.info('x')
  assert.match(lines[0]!, /^ts="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)" level=info msg=x\n$/)
})
