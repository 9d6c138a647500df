/**
 * The `tests` section of config files (the reference's unit-test definitions, run by `weir test`)
 * as field specs, so lint checks its cases as the reference does: unknown case, input and output
 * condition fields are findings, and `bloblang` conditions must compile. The deprecated
 * top-level `parallel` of definition files is accepted.
 */
import { f, type FieldSpec } from '../spec/index.js'

const INPUT_FIELDS = [
  f.string('content', { optional: true }),
  f.any('json_content', { optional: true }),
  f.string('file_content', { optional: true }),
  f.map(f.any('metadata', { optional: true })),
] as const

const CASE_FIELDS = [
  f.string('name', { description: 'The name of the test case.' }),
  f.map(f.string('environment', { optional: true })),
  f.string('target_processors', { default: '/pipeline/processors' }),
  f.string('target_mapping', { default: '' }),
  f.map(f.any('mocks', { optional: true })),
  f.array(f.object('input_batch', INPUT_FIELDS, { optional: true })),
  // Lists of lists of objects: the field specs have no such kind, so only the outer list is checked.
  f.array(f.any('input_batches', { optional: true })),
  f.array(f.any('output_batches', { optional: true })),
] as const

/** `tests`: a list of cases. */
export const TESTS_FIELD: FieldSpec = f.array(f.object('tests', CASE_FIELDS, { optional: true, advanced: true }))

/** `parallel`: deprecated in the reference, ignored. */
export const PARALLEL_FIELD: FieldSpec = f.bool('parallel', { optional: true, advanced: true, deprecated: true })
