import { test } from 'node:test'
import assert from 'node:assert/strict'
import { applySet, interpolateEnv, missingEnvMessage, parseDotenv } from '../../src/config/env.js'
import { WeirError } from '../../src/errors.js'

const envOf =
  (vars: Record<string, string>) =>
  (name: string): string | undefined =>
    Object.hasOwn(vars, name) ? vars[name] : undefined

test('interpolateEnv substitutes variables, defaults and base64', () => {
  const env = envOf({ A: 'alpha', EMPTY: '', B64: Buffer.from('héllo').toString('base64'), ML: 'one\ntwo', 'X.Y_1': 'dotted' })
  const cases: [string, string][] = [
    ['a: ${A}', 'a: alpha'],
    ['a: ${EMPTY}', 'a: '],
    ['a: ${EMPTY:fallback}', 'a: fallback'],
    ['a: ${UNSET:5}', 'a: 5'],
    ['a: ${UNSET:}', 'a: '],
    ['a: ${A:ignored}', 'a: alpha'],
    ['a: ${B64|base64decode}', 'a: héllo'],
    ['a: ${UNSET:aGk=|base64decode}', 'a: hi'],
    ['a: ${ML}', 'a: one\\ntwo'],
    ['a: ${X.Y_1}', 'a: dotted'],
    ['a: ${UNSET:${A}}', 'a: ${A}'],
    ['a: ${UNSET:http://x:80/y}', 'a: http://x:80/y'],
    ['a: ${{A}}', 'a: ${A}'],
    ['a: ${{A:def}}', 'a: ${A:def}'],
    ['a: ${! meta("x") }', 'a: ${! meta("x") }'],
    ['a: ${!A}', 'a: ${!A}'],
    ['a: $A {A}', 'a: $A {A}'],
  ]
  for (const [input, out] of cases) assert.deepEqual(interpolateEnv(input, env), { text: out, missing: [] }, input)
})

test('interpolateEnv reports missing variables in order, with best-effort text', () => {
  const r = interpolateEnv('a: ${X}\nb: ${Y}\nc: ${X}\nd: ${Z:ok}', envOf({}))
  assert.deepEqual(r, { text: 'a: \nb: \nc: \nd: ok', missing: ['X', 'Y', 'X'] })
  assert.equal(missingEnvMessage(r.missing), 'required environment variables were not set: [X Y X]')
})

test('interpolateEnv rejects unknown decode functions and bad base64', () => {
  const run = (text: string): unknown => {
    try {
      interpolateEnv(text, envOf({ A: 'x', BAD: 'abc' }))
      return undefined
    } catch (err) {
      assert.ok(err instanceof WeirError)
      return [err.code, err.message]
    }
  }
  assert.deepEqual(run('${A|upper}'), ['CONFIG_INVALID', 'unknown env var decode function: upper'])
  // The split is at the last `|`, so a default containing `|` reads as a function.
  assert.deepEqual(run('${X:a|b}'), ['CONFIG_INVALID', 'unknown env var decode function: b'])
  assert.deepEqual(run('${BAD|base64decode}'), ['CONFIG_INVALID', 'failed to decode base64-encoded env var: illegal base64 data at input byte 0'])
  assert.deepEqual(run('${A|one} ${A|two}'), ['CONFIG_INVALID', 'unknown env var decode function: one\nunknown env var decode function: two'])
  // Located at the first bad reference (found by fuzzing: it was the one config error without a line).
  const located = (text: string): unknown => {
    try {
      interpolateEnv(text, envOf({ A: 'x' }))
      return undefined
    } catch (err) {
      return err instanceof WeirError ? [err.data.line, err.data.col] : err
    }
  }
  assert.deepEqual(located('input:\n  x: ${A}\n  y: ${A|gzip} ${A|two}\n'), [3, 6])
  assert.deepEqual(located('${A|gzip}'), [1, 1])
})

test('parseDotenv reads the documented forms', () => {
  const text = [
    '# comment',
    '',
    'A=1',
    'B = two # trailing comment',
    'C\t=\t"quoted \\"x\\"\\n\\u00e9"',
    "D='single $literal'",
    'E="""line1',
    'line2"""',
    'F=',
    '   ',
    'G=last\r',
    'H=x#y',
  ].join('\n')
  assert.deepEqual(parseDotenv(text), { A: '1', B: 'two', C: 'quoted "x"\né', D: 'single $literal', E: 'line1\nline2', F: '', G: 'last', H: 'x' })
})

test('parseDotenv reports the line of a bad assignment', () => {
  for (const [text, msg] of [
    ['A=1\nexport B=2\n', '2: expected Environment variable assignment'],
    ['A=1\nB=2 3\n', '2: expected line break'],
    ['A="open\n', '1: expected end quote'],
    ['A="""never closed\n', '1: expected end triple-quote'],
  ] as const) {
    assert.throws(
      () => parseDotenv(text),
      (e: unknown) => e instanceof WeirError && e.code === 'CONFIG_INVALID' && e.message === msg,
      text,
    )
  }
})

test('applySet sets dot paths with YAML values', () => {
  const conf: Record<string, unknown> = { http: { address: '0.0.0.0:4195' }, list: [1, 2, 3], scalar: 'x' }
  applySet(conf, 'http.address=127.0.0.1:0')
  applySet(conf, 'http.debug_endpoints=true')
  applySet(conf, 'metrics={"json_api":{}}')
  applySet(conf, 'list.-1=9')
  applySet(conf, 'list.-=4')
  applySet(conf, 'scalar.inner=1')
  applySet(conf, 'a~1b.c=x=y')
  assert.deepEqual(conf, {
    http: { address: '127.0.0.1:0', debug_endpoints: true },
    list: [1, 2, 9, 4],
    scalar: { inner: 1 },
    metrics: { json_api: {} },
    'a.b': { c: 'x=y' },
  })
})

test('applySet rejects malformed expressions with the reference text', () => {
  for (const expr of ['novalue', '=x', 'a=', '']) {
    assert.throws(
      () => applySet({}, expr),
      (e: unknown) => e instanceof WeirError && e.message === `invalid set expression '${expr}': expected foo=bar syntax`,
    )
  }
  assert.throws(() => applySet({}, 'a=[1'), (e: unknown) => e instanceof WeirError && e.message.startsWith("invalid set expression 'a=[1': "))
})
