/**
 * Time methods (spec §23.9): ts_parse / ts_format (Go layouts), ts_strptime / ts_strftime,
 * ts_unix*, ts_tz, ts_round, ts_add_iso8601 / ts_sub_iso8601, ts_sub, parse_duration,
 * parse_duration_iso8601 and the deprecated aliases. All are pure, so calls on literal targets
 * fold while compiling (their errors then surface as parse errors, as in the reference).
 */
import { defineMethod, type Args, type MethodDef, type MethodImpl, type ParamDef } from '../registry.js'
import {
  MappingError,
  Timestamp,
  getString,
  getTimestamp,
  loadZone,
  makeInt,
  type Result,
  type Value,
  type Zone,
} from '../../value/index.js'
import {
  RFC3339_NANO,
  addPeriod,
  formatLayout,
  formatRFC3339Nano,
  negatePeriod,
  parseGoDurationExact,
  parseLayout,
  parsePeriod,
  periodApproxNanos,
  roundTime,
  strftime,
  strptime,
  subNanos,
  unixMicro,
  unixMilli,
  unixNano,
  type Period,
} from '../../value/time/index.js'

/** Text of a string, bytes or timestamp target (the reference's StringMethod). */
const stringArg = (target: Result): string => getString(target)

function zoneArg(name: string | undefined): Zone | undefined {
  if (name === undefined) return undefined
  const z = loadZone(name)
  if (z === undefined) throw new MappingError(`failed to parse timezone location name: unknown time zone ${name}`)
  return z
}

function periodArg(text: string): Period {
  const r = parsePeriod(text)
  if (!r.ok) throw new MappingError(r.error)
  return r.period
}

/** A timestamp method with no parameters. */
function tsMethod(name: string, fn: (t: Timestamp) => Value, description: string): MethodDef {
  return defineMethod({ name, params: [], description, foldConstant: true, ctor: () => (target) => fn(getTimestamp(target)) })
}

function withAliases(defs: MethodDef[], aliases: Record<string, string>): MethodDef[] {
  const out = [...defs]
  for (const [alias, of] of Object.entries(aliases)) {
    const def = defs.find((d) => d.name === of)
    if (def !== undefined) out.push({ ...def, name: alias, description: `Deprecated: use ${of}.`, examples: [] })
  }
  return out
}

const FORMAT_PARAMS = (formatDefault: string | undefined): ParamDef[] => [
  formatDefault === undefined
    ? { name: 'format', type: 'string', description: 'The output format.' }
    : { name: 'format', type: 'string', default: formatDefault, description: 'The output format (Go reference time).' },
  { name: 'tz', type: 'string', optional: true, description: 'Zone to show the time in (IANA name, UTC or Local).' },
]

const formatCtor = (render: (t: Timestamp, layout: string) => string) => (args: Args): MethodImpl => {
  const layout = args.string('format')
  const zone = zoneArg(args.optString('tz'))
  return (target) => {
    let t = getTimestamp(target)
    if (zone !== undefined) t = t.in(zone)
    return render(t, layout)
  }
}

const parseCtor = (deprecated: boolean) => (args: Args): MethodImpl => {
  const layout = args.string('format')
  return (target) => {
    const r = parseLayout(layout, stringArg(target))
    if (!r.ok) throw new MappingError(r.error)
    return deprecated ? formatRFC3339Nano(r.time) : r.time
  }
}

const strptimeCtor = (deprecated: boolean) => (args: Args): MethodImpl => {
  const layout = args.string('format')
  return (target) => {
    const r = strptime(stringArg(target), layout)
    if (!r.ok) throw new MappingError(r.error)
    return deprecated ? formatRFC3339Nano(r.time) : r.time
  }
}

const primary: MethodDef[] = [
  defineMethod({
    name: 'ts_parse',
    description: 'Parses a string with a Go reference-time layout into a timestamp (UTC unless the layout has a zone).',
    params: [{ name: 'format', type: 'string', description: 'Go reference-time layout.' }],
    foldConstant: true,
    examples: [{ mapping: 'root = this.d.ts_parse("2006-Jan-02")', input: '{"d":"2020-Aug-14"}', output: '"2020-08-14T00:00:00Z"' }],
    ctor: parseCtor(false),
  }),
  defineMethod({
    name: 'ts_strptime',
    description: 'Parses a string with strptime directives (%Y, %m, %d, %f, ...) into a timestamp.',
    params: [{ name: 'format', type: 'string', description: 'strptime format.' }],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.d.ts_strptime("%Y-%b-%d %H:%M:%S.%f")', input: '{"d":"2020-Aug-14 11:50:26.371000"}', output: '"2020-08-14T11:50:26.371Z"' },
    ],
    ctor: strptimeCtor(false),
  }),
  defineMethod({
    name: 'ts_format',
    description: 'Formats a timestamp with a Go reference-time layout, optionally in another zone.',
    params: FORMAT_PARAMS(RFC3339_NANO),
    foldConstant: true,
    examples: [
      { mapping: 'root = this.t.ts_format("2006-Jan-02 15:04:05", "UTC")', input: '{"t":1597405526}', output: '2020-Aug-14 11:45:26' },
    ],
    ctor: formatCtor(formatLayout),
  }),
  defineMethod({
    name: 'ts_strftime',
    description: 'Formats a timestamp with strftime directives, optionally in another zone.',
    params: FORMAT_PARAMS(undefined),
    foldConstant: true,
    examples: [
      { mapping: 'root = this.t.ts_strftime("%Y-%b-%d %H:%M:%S.%f", "UTC")', input: '{"t":"2020-08-14T11:50:26.371Z"}', output: '2020-Aug-14 11:50:26.371000' },
    ],
    ctor: formatCtor(strftime),
  }),
  tsMethod('ts_unix', (t) => makeInt(t.sec), 'Unix time in seconds.'),
  tsMethod('ts_unix_milli', (t) => makeInt(unixMilli(t)), 'Unix time in milliseconds.'),
  tsMethod('ts_unix_micro', (t) => makeInt(unixMicro(t)), 'Unix time in microseconds.'),
  tsMethod('ts_unix_nano', (t) => makeInt(unixNano(t)), 'Unix time in nanoseconds.'),
  defineMethod({
    name: 'ts_tz',
    description: 'The same instant shown in another zone.',
    params: [{ name: 'tz', type: 'string', description: 'IANA zone name, UTC or Local.' }],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.t.ts_tz("America/New_York")', input: '{"t":"2021-02-03T16:05:06Z"}', output: '"2021-02-03T11:05:06-05:00"' },
    ],
    ctor: (args) => {
      const zone = zoneArg(args.string('tz'))!
      return (target) => getTimestamp(target).in(zone)
    },
  }),
  defineMethod({
    name: 'ts_round',
    description: 'Rounds to the nearest multiple of a duration in nanoseconds (halves round up).',
    params: [{ name: 'duration', type: 'int', description: 'Duration in nanoseconds.' }],
    foldConstant: true,
    examples: [
      { mapping: 'root = this.t.ts_round("1h".parse_duration())', input: '{"t":"2020-08-14T05:54:23Z"}', output: '"2020-08-14T06:00:00Z"' },
    ],
    ctor: (args) => {
      const d = BigInt(args.int64('duration'))
      return (target) => roundTime(getTimestamp(target), d)
    },
  }),
  defineMethod({
    name: 'ts_add_iso8601',
    description: 'Adds an ISO 8601 period with calendar arithmetic for whole years, months, weeks and days.',
    params: [{ name: 'duration', type: 'string', description: 'ISO 8601 period such as P1Y2M3DT4H.' }],
    foldConstant: true,
    examples: [{ mapping: 'root = this.t.ts_add_iso8601("P1Y2M3DT4H5M6S")', input: '{"t":"2020-01-01T00:00:00Z"}', output: '"2021-03-04T04:05:06Z"' }],
    ctor: (args) => {
      const p = periodArg(args.string('duration'))
      return (target) => addPeriod(getTimestamp(target), p)
    },
  }),
  defineMethod({
    name: 'ts_sub_iso8601',
    description: 'Subtracts an ISO 8601 period with calendar arithmetic for whole years, months, weeks and days.',
    params: [{ name: 'duration', type: 'string', description: 'ISO 8601 period such as P1Y2M3DT4H.' }],
    foldConstant: true,
    examples: [{ mapping: 'root = this.t.ts_sub_iso8601("P1Y2M3DT4H5M6S")', input: '{"t":"2021-03-04T04:05:06Z"}', output: '"2020-01-01T00:00:00Z"' }],
    ctor: (args) => {
      const p = negatePeriod(periodArg(args.string('duration')))
      return (target) => addPeriod(getTimestamp(target), p)
    },
  }),
  defineMethod({
    name: 'ts_sub',
    description: 'Nanoseconds between two timestamps (target minus argument).',
    params: [{ name: 't2', type: 'timestamp', description: 'The timestamp to subtract.' }],
    foldConstant: true,
    examples: [{ mapping: 'root = this.a.ts_sub("2020-08-14T05:54:23Z").abs()', input: '{"a":"2020-08-13T05:54:23Z"}', output: '86400000000000' }],
    ctor: (args) => {
      const t2 = args.timestamp('t2')
      return (target) => makeInt(subNanos(getTimestamp(target), t2))
    },
  }),
  defineMethod({
    name: 'parse_duration',
    description: 'Parses a Go duration string ("1h30m", "50us") into integer nanoseconds.',
    params: [],
    foldConstant: true,
    examples: [{ mapping: 'root = this.d.parse_duration()', input: '{"d":"50us"}', output: '50000' }],
    ctor: () => (target) => {
      const r = parseGoDurationExact(stringArg(target))
      if (!r.ok) throw new MappingError(r.error)
      return makeInt(r.ns)
    },
  }),
  defineMethod({
    name: 'parse_duration_iso8601',
    description: 'Parses an ISO 8601 duration into integer nanoseconds (years, months and days at average lengths).',
    params: [],
    foldConstant: true,
    examples: [{ mapping: 'root = this.d.parse_duration_iso8601()', input: '{"d":"P3Y6M4DT12H30M5S"}', output: '110839937000000000' }],
    ctor: () => (target) => makeInt(periodApproxNanos(periodArg(stringArg(target)))),
  }),
  defineMethod({
    name: 'parse_timestamp',
    description: 'Deprecated: like ts_parse but returns an RFC 3339 string.',
    params: [{ name: 'format', type: 'string', description: 'Go reference-time layout.' }],
    foldConstant: true,
    ctor: parseCtor(true),
  }),
  defineMethod({
    name: 'parse_timestamp_strptime',
    description: 'Deprecated: like ts_strptime but returns an RFC 3339 string.',
    params: [{ name: 'format', type: 'string', description: 'strptime format.' }],
    foldConstant: true,
    ctor: strptimeCtor(true),
  }),
]

export const timeMethods: MethodDef[] = withAliases(primary, {
  format_timestamp: 'ts_format',
  format_timestamp_strftime: 'ts_strftime',
  format_timestamp_unix: 'ts_unix',
  format_timestamp_unix_milli: 'ts_unix_milli',
  format_timestamp_unix_micro: 'ts_unix_micro',
  format_timestamp_unix_nano: 'ts_unix_nano',
})
