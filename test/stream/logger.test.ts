import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger, rfc3339 } from '../../src/util/logger.js'

const base = { levelName: 'level', timestampName: 'time', messageName: 'msg' }

test('logfmt lines: level, msg, then sorted fields, quoted only when needed', () => {
  const lines: string[] = []
  const log = createLogger({ ...base, level: 'INFO', format: 'logfmt', addTimestamp: false, staticFields: { '@service': 'benthos' } }, { stream: 'foo' }, (l) => lines.push(l))
  const child = log.child({ label: '', path: 'root.input' })
  child.info('Input started', { count: 3 })
  child.warn('something odd\n')
  child.debug('not shown')
  assert.deepEqual(lines, [
    'level=info msg="Input started" @service=benthos count=3 label="" path=root.input stream=foo\n',
    'level=warning msg="something odd" @service=benthos label="" path=root.input stream=foo\n',
  ])
})

test('json lines have every key sorted and custom names', () => {
  const lines: string[] = []
  const log = createLogger(
    { level: 'TRACE', format: 'json', addTimestamp: false, staticFields: {}, levelName: 'lvl', timestampName: 'ts', messageName: 'message' },
    { stream: 'foo' },
    (l) => lines.push(l),
  )
  log.trace('a <b>', { custom_source: true })
  assert.deepEqual(lines, ['{"custom_source":true,"lvl":"trace","message":"a \\u003cb\\u003e","stream":"foo"}\n'])
})

test('timestamps are RFC 3339 and OFF silences everything', () => {
  const lines: string[] = []
  createLogger({ ...base, level: 'OFF', format: 'logfmt', addTimestamp: true, staticFields: {} }, {}, (l) => lines.push(l)).error('x')
  assert.equal(lines.length, 0)
  createLogger({ ...base, level: 'error', format: 'logfmt', addTimestamp: true, staticFields: {} }, {}, (l) => lines.push(l)).error('x')
  assert.match(lines[0]!, /^time="?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)"? level=error msg=x\n$/)
  assert.match(rfc3339(new Date(0)), /^19(70|69)-/)
})
