/**
 * Arbitrary stream config texts for the loader fuzz: random YAML trees (random component names,
 * fields, types and nesting), configs shaped by the real component specs with mutated values, and
 * YAML-level oddities (anchors, aliases, merge keys, tags, several documents, env references).
 */
import fc from 'fast-check'
import { mangle } from './settings.js'
import { stringify } from 'yaml'
import type { ComponentKind, FieldSpec, SpecLookup } from '../../src/spec/index.js'

const KEYS = ['input', 'buffer', 'pipeline', 'output', 'processors', 'threads', 'label', 'type', 'tests', 'cache_resources', 'http', 'logger', 'x']

/** Scalars of every YAML type, plus env references the loader interpolates. */
const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('${FUZZ_SET}', '${FUZZ_UNSET}', '${FUZZ_UNSET:fallback}', '${FUZZ_SET|base64}', '${!content()}', '${! meta("x") }', '1s', '-5m', 'root = this', '!!binary', '~', 'yes', 'NaN', '0x1F', '1e400'),
)

function tree(keys: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: scalar },
      { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }) },
      { weight: 2, arbitrary: fc.dictionary(keys, tie('node'), { maxKeys: 4, noNullPrototype: true }) },
    ),
  })).node
}

/** One value of the type a field declares, or (now and then) of another type. */
function fieldValue(spec: FieldSpec, lookup: SpecLookup, depth: number): fc.Arbitrary<unknown> {
  const one = ((): fc.Arbitrary<unknown> => {
    switch (spec.type) {
      case 'string':
      case 'interp':
        return spec.options?.length ? fc.constantFrom(...spec.options) : fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('${! content() }', '${! @x }', '${! nope( }'))
      case 'int':
        return fc.integer({ min: -2, max: 100 })
      case 'float':
        return fc.double({ min: -10, max: 10, noNaN: true })
      case 'bool':
        return fc.boolean()
      case 'duration':
        return fc.constantFrom('1s', '100ms', '0s', '-1s', 'forever', '1h30m', '')
      case 'bloblang':
        return fc.constantFrom('root = this', 'root = content().uppercase()', 'root = this.', 'root = nope()', 'meta x = 1', 'root = if true { 1 }', '')
      case 'object':
        return spec.children ? shaped(spec.children, lookup, depth) : fc.constant({})
      case 'any':
        return tree(fc.constantFrom('a', 'b', 'c'))
      default:
        return depth > 0 ? component(spec.type, lookup, depth - 1) : fc.constant({})
    }
  })()
  const typed = spec.kind === 'array' ? fc.array(one, { maxLength: 2 }) : spec.kind === 'map' ? fc.dictionary(fc.constantFrom('a', 'b'), one, { maxKeys: 2, noNullPrototype: true }) : one
  return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) })
}

function shaped(fields: readonly FieldSpec[], lookup: SpecLookup, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (fields.length === 0) return fc.constant({})
  return fc
    .tuple(fc.subarray([...fields], { maxLength: Math.min(4, fields.length) }), fc.option(fc.constantFrom('unknown_field', 'labl', 'proccessors'), { freq: 5 }))
    .chain(([chosen, typo]) => fc.tuple(...chosen.map((f) => fieldValue(f, lookup, depth)), fc.constant(chosen), fc.constant(typo)))
    .map((xs) => {
      const typo = xs.pop() as string | null
      const chosen = xs.pop() as FieldSpec[]
      const out: Record<string, unknown> = {}
      chosen.forEach((f, i) => (out[f.name] = xs[i]))
      if (typo) out[typo] = 1
      return out
    })
}

/** A component config of `kind` from the real specs (a name, its fields), sometimes an unknown name. */
export function component(kind: ComponentKind, lookup: SpecLookup, depth: number): fc.Arbitrary<unknown> {
  const names = lookup.names(kind)
  if (names.length === 0) return fc.constant({})
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...names).chain((name) => {
        const spec = lookup.get(kind, name)!
        const body = spec.config.type === 'object' && spec.config.children ? shaped(spec.config.children, lookup, depth) : fieldValue(spec.config, lookup, depth)
        return fc.tuple(body, fc.option(fc.constantFrom('lbl', 'a b', ''), { freq: 4 })).map(([b, label]) => (label === null ? { [name]: b } : { label, [name]: b }))
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom('nope', 'stdin2', 'Generate').map((n) => ({ [n]: {} })) },
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => ({ type: n, [n]: {} })) },
    { weight: 1, arbitrary: fc.constantFrom(...names).map((n) => ({ [n]: {}, [names[0]!]: {} })) },
  )
}

/** Stream configs shaped like the real thing (input, pipeline, output, buffer) with mutated values. */
export function shapedStream(lookup: SpecLookup): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      {
        input: component('input', lookup, 1),
        buffer: component('buffer', lookup, 0),
        pipeline: fc.record({ threads: fc.oneof(fc.integer({ min: -2, max: 4 }), scalar), processors: fc.array(component('processor', lookup, 1), { maxLength: 3 }) }, { requiredKeys: [] }),
        output: component('output', lookup, 1),
        x: scalar,
      },
      { requiredKeys: [] },
    )
    .map((o) => ({ ...o }))
}

/** YAML-level oddities spliced into otherwise ordinary documents. */
const ODDITIES = [
  'input: &a\n  generate:\n    mapping: root = 1\noutput: *a\n',
  'base: &b { drop: {} }\noutput:\n  <<: *b\n',
  'input: *nope\n',
  'input: !!binary aGVsbG8=\n',
  'input:\n  generate: {}\n---\noutput:\n  drop: {}\n',
  '---\n...\n',
  'input: {generate: {mapping: "root = 1", interval: 1s}}\noutput: {drop: {}}\n',
  'input:\n  generate:\n    mapping: |\n      root = this\n      root.x = (\n',
  '"input": [1, 2\n',
  'input:\n\tgenerate: {}\n',
  'a: &x [*x]\n',
  'input: ${FUZZ_SET}\noutput: ${FUZZ_UNSET:{"drop":{}}}\n',
  '? [complex, key]\n: value\n',
  '%YAML 1.2\n---\ninput: {}\n',
  'input: !custom_tag {}\n',
  '\uFEFFinput: {}\n',
  '',
  '# only a comment\n',
  'input:\n  - 1\n  - 2\noutput: 3\n',
]

export function configText(lookup: SpecLookup): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: shapedStream(lookup).map((o) => stringify(o)) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tree(fc.oneof(fc.constantFrom(...KEYS, ...lookup.names('processor').slice(0, 10)), fc.string({ maxLength: 6 }))), { maxKeys: 5, noNullPrototype: true }).map((o) => stringify(o)) },
    { weight: 1, arbitrary: fc.constantFrom(...ODDITIES) },
    {
      weight: 2,
      arbitrary: mangle(
        shapedStream(lookup).map((o) => stringify(o)),
        [':', '- ', '  ', '\n', '{', '[', '"', "'", '&a ', '*a', '!!str ', '#', '${', '}', '\t'],
      ),
    },
  )
}
