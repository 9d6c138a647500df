/**
 * Time methods (spec §23.9) through the public compileMapping, plus the Go duration helpers the
 * host imports. Expected values come from the reference implementation's documented behaviour
 * (Go's time package, itchyny/timefmt-go, rickb777/period). Every expectation is exact and
 * independent of the machine's local zone (tests that involve a zone name it explicitly).
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { timeMethods } from '../../src/bloblang/methods/time.js'
import { formatGoDuration, parseGoDuration, parseGoDurationExact } from '../../src/value/time/index.js'
import { failure, run } from './helpers.js'

test('go durations: parse to nanoseconds like time.ParseDuration', () => {
  const cases: Array<[string, number | undefined]> = [
    ['0', 0],
    ['-0', 0],
    ['300ms', 300_000_000],
    ['-1.5h', -5_400_000_000_000],
    ['2h45m', 9_900_000_000_000],
    ['1m30s', 90_000_000_000],
    ['50us', 50_000],
    ['50µs', 50_000],
    ['50μs', 50_000],
    ['1ns', 1],
    ['.5s', 500_000_000],
    ['1.s', 1_000_000_000],
    ['+5s', 5_000_000_000],
    ['1h1h', 7_200_000_000_000],
    ['', undefined],
    ['1', undefined],
    ['s', undefined],
    ['.s', undefined],
    ['1d', undefined],
    ['1 s', undefined],
    ['-', undefined],
    ['9223372036854775808ns', undefined],
  ]
  for (const [input, want] of cases) assert.equal(parseGoDuration(input), want, input)
})

test('go durations: exact int64 parsing and Go error texts', () => {
  assert.deepEqual(parseGoDurationExact('9223372036854775807ns'), { ok: true, ns: 9223372036854775807n })
  assert.deepEqual(parseGoDurationExact('-9223372036854775808ns'), { ok: true, ns: -9223372036854775808n })
  assert.deepEqual(parseGoDurationExact('1.0000000005s'), { ok: true, ns: 1_000_000_000n })
  assert.deepEqual(parseGoDurationExact('x'), { ok: false, error: 'time: invalid duration "x"' })
  assert.deepEqual(parseGoDurationExact('12'), { ok: false, error: 'time: missing unit in duration "12"' })
  assert.deepEqual(parseGoDurationExact('3days'), { ok: false, error: 'time: unknown unit "days" in duration "3days"' })
  assert.deepEqual(parseGoDurationExact('1é'), { ok: false, error: 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"' })
})

test('go durations: format like Duration.String()', () => {
  const cases: Array<[number | bigint, string]> = [
    [0, '0s'],
    [1, '1ns'],
    [999, '999ns'],
    [1_500, '1.5µs'],
    [1_000_000, '1ms'],
    [1_500_000, '1.5ms'],
    [1_000_000_000, '1s'],
    [1_500_000_000, '1.5s'],
    [60_000_000_000, '1m0s'],
    [3_723_000_000_000, '1h2m3s'],
    [-90_000_000_000, '-1m30s'],
    [259_200_500_000_000, '72h0m0.5s'],
    [9223372036854775807n, '2562047h47m16.854775807s'],
    [-9223372036854775808n, '-2562047h47m16.854775808s'],
  ]
  for (const [ns, want] of cases) assert.equal(formatGoDuration(ns), want, String(ns))
  for (const s of ['1h2m3.5s', '150ms', '-2m0s', '1.5µs']) assert.equal(formatGoDuration(parseGoDuration(s)!), s)
})

test('ts_parse: Go layouts, default UTC, zones from the input', () => {
  assert.equal(run('root = this.d.ts_parse("2006-01-02")', '{"d":"2021-03-04"}'), '"2021-03-04T00:00:00Z"')
  assert.equal(run('root = this.d.ts_parse("2006-Jan-02")', '{"d":"2020-Aug-14"}'), '"2020-08-14T00:00:00Z"')
  assert.equal(run('root = this.d.ts_parse("Jan 2, 2006 at 3:04pm (MST)")', '{"d":"Aug 14, 2020 at 5:54am (UTC)"}'), '"2020-08-14T05:54:00Z"')
  assert.equal(run('root = this.d.ts_parse("2006-01-02T15:04:05Z07:00")', '{"d":"2020-08-14T11:50:26+02:00"}'), '"2020-08-14T11:50:26+02:00"')
  // A fraction in the input is accepted after seconds even when the layout has none.
  assert.equal(run('root = this.d.ts_parse("15:04:05")', '{"d":"12:34:56.789"}'), '"0000-01-01T12:34:56.789Z"')
  assert.equal(run('root = this.d.ts_parse("Monday 02 January 2006 03PM")', '{"d":"friday 14 AUGUST 2020 05PM"}'), '"2020-08-14T17:00:00Z"')
  assert.equal(run('root = this.d.ts_parse("2006 002")', '{"d":"2020 060"}'), '"2020-02-29T00:00:00Z"')
  assert.equal(run('root = this.d.ts_parse("02/01/2006 15:04:05.000 -0700")', '{"d":"14/08/2020 11:50:26.123 -0330"}'), '"2020-08-14T11:50:26.123-03:30"')
  // Unknown zone abbreviations keep their name with a zero offset, as in Go.
  assert.equal(run('root = this.d.ts_parse("2006-01-02 MST").ts_format("2006-01-02 15:04 MST -0700")', '{"d":"2020-08-14 XYZ"}'), '2020-08-14 00:00 XYZ +0000')
  // Results print as RFC 3339 strings through .string() (core) and in JSON.
  assert.equal(run('root.t = this.d.ts_parse("2006-01-02 15:04")', '{"d":"2023-05-06 07:08"}'), '{"t":"2023-05-06T07:08:00Z"}')
})

test('ts_parse: Go error texts', () => {
  assert.equal(
    failure('root = this.d.ts_parse("2006-01-02")', '{"d":"2021-02-30"}'),
    'failed assignment (line 1): field `this.d`: parsing time "2021-02-30": day out of range',
  )
  assert.equal(
    failure('root = this.d.ts_parse("2006-01-02")', '{"d":"21-02-03"}'),
    'failed assignment (line 1): field `this.d`: parsing time "21-02-03" as "2006-01-02": cannot parse "21-02-03" as "2006"',
  )
  assert.equal(
    failure('root = this.d.ts_parse("2006-01-02")', '{"d":"2021-02-03 extra"}'),
    'failed assignment (line 1): field `this.d`: parsing time "2021-02-03 extra": extra text: " extra"',
  )
  assert.equal(
    failure('root = this.d.ts_parse("15:04")', '{"d":"25:00"}'),
    'failed assignment (line 1): field `this.d`: parsing time "25:00": hour out of range',
  )
  assert.equal(
    failure('root = this.d.ts_parse("2006-01-02")', '{"d":5}'),
    'failed assignment (line 1): expected string value, got number from field `this.d` (5)',
  )
  // Literal targets are evaluated while compiling, so the error is a parse error.
  assert.match(failure('root = "x".ts_parse("2006")'), /^line 1 char \d+: .*parsing time "x" as "2006": cannot parse "x" as "2006"$/)
})

test('ts_format: layouts, zones and timestamp coercion', () => {
  const t = '{"t":"2020-08-14T11:50:26.371123Z"}'
  assert.equal(run('root = this.t.ts_format()', t), '2020-08-14T11:50:26.371123Z')
  assert.equal(run('root = this.t.ts_format("2006-01-02 15:04:05", "America/New_York")', '{"t":"2020-08-14T11:50:26Z"}'), '2020-08-14 07:50:26')
  assert.equal(run('root = this.t.ts_format("Mon Jan _2 15:04:05 MST 2006", "America/New_York")', t), 'Fri Aug 14 07:50:26 EDT 2020')
  assert.equal(run('root = this.t.ts_format("Monday, 02-Jan-06 3:04:05.000PM -07:00")', t), 'Friday, 14-Aug-20 11:50:26.371AM +00:00')
  assert.equal(run('root = this.t.ts_format(".999999999|.000|,99|Z0700|Z07:00:00|__2|002", "Asia/Kolkata")', t), '.371123|.371|,37|+0530|+05:30:00|227|227')
  assert.equal(run('root = this.t.ts_format("2006-01-02T15:04:05Z07:00", "UTC")', '{"t":1597405526}'), '2020-08-14T11:45:26Z')
  assert.equal(run('root = this.t.ts_format(format: "2006-Jan-02 15:04:05", tz: "UTC")', '{"t":1597405526.5}'), '2020-Aug-14 11:45:26')
  assert.equal(run('root = this.t.ts_format("15:04:05.000", "UTC")', '{"t":1597405526.25}'), '11:45:26.250')
  assert.equal(run('root = this.t.format_timestamp("2006-01-02", "UTC")', '{"t":"2020-08-14T23:59:59-02:00"}'), '2020-08-15')
  assert.match(
    failure('root = this.t.ts_format("2006", "Mars/Olympus")', t),
    /^line 1 char \d+: failed to parse timezone location name: unknown time zone Mars\/Olympus$/,
  )
  assert.equal(
    failure('root = this.d.ts_parse("Jan 2 2006 3:04pm")', '{"d":"Aug 14 2020 5:54PM"}'),
    'failed assignment (line 1): field `this.d`: parsing time "Aug 14 2020 5:54PM" as "Jan 2 2006 3:04pm": cannot parse "PM" as "pm"',
  )
  assert.equal(
    failure('root = this.t.ts_format("2006")', '{"t":"yesterday"}'),
    'failed assignment (line 1): field `this.t`: parsing time "yesterday" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "yesterday" as "2006"',
  )
  assert.equal(
    failure('root = this.t.ts_format("2006")', '{"t":true}'),
    'failed assignment (line 1): expected number or string value, got bool from field `this.t` (true)',
  )
})

test('ts_strftime / ts_strptime: timefmt-go directives and flags', () => {
  const t = '{"t":"2020-08-14T11:50:26.371Z"}'
  assert.equal(run('root = this.t.ts_strftime("%Y/%m/%d %H:%M")', '{"t":"2020-08-14T11:45:26Z"}'), '2020/08/14 11:45')
  assert.equal(run('root = this.t.ts_strftime("%Y-%b-%d %H:%M:%S.%f", "UTC")', t), '2020-Aug-14 11:50:26.371000')
  assert.equal(
    run('root = this.t.ts_strftime("%a %A %b %B %j %U %W %V %G %e %k %l %p %P %s %u %w %y %C %%")', t),
    'Fri Friday Aug August 227 32 32 33 2020 14 11 11 AM am 1597405826 5 5 20 20 %',
  )
  assert.equal(run('root = this.t.ts_strftime("%c|%F|%T|%D|%R|%v|%r")', t), 'Fri Aug 14 11:50:26 2020|2020-08-14|11:50:26|08/14/20|11:50|14-Aug-2020|11:50:26 AM')
  assert.equal(run('root = this.t.ts_strftime("%-d|%_5m|%05Y|%^a|%#b|%10B|%-j")', t), '14|    8|02020|FRI|AUG|    August|227')
  assert.equal(run('root = this.t.ts_strftime("%z|%:z|%::z|%:::z", "America/St_Johns")', t), '-0230|-02:30|-02:30:00|-02:30')
  assert.equal(run('root = this.t.ts_strftime("%:::z|%Z|%#Z", "America/New_York")', t), '-04|EDT|edt')
  assert.equal(run('root = this.t.ts_strftime("%z %10z %-z %_z", "America/New_York")', t), '-0400 -000000400 -400  -400')
  assert.equal(run('root = this.t.ts_strftime("%Q|%5Q|%")', t), '%Q|  %5Q|%')
  assert.equal(run('root = this.d.ts_strptime("%Y-%b-%d %H:%M:%S.%f")', '{"d":"2020-Aug-14 11:50:26.371000"}'), '"2020-08-14T11:50:26.371Z"')
  assert.equal(run('root = this.d.ts_strptime("%Y-%m-%d %H:%M:%S %z")', '{"d":"2020-01-02 03:04:05 +0530"}'), '"2020-01-02T03:04:05+05:30"')
  assert.equal(run('root = this.d.ts_strptime("%d/%m/%y %I%p")', '{"d":"31/12/99 12AM"}'), '"1999-12-31T00:00:00Z"')
  assert.equal(run('root = this.d.ts_strptime("%Y %j")', '{"d":"2024 060"}'), '"2024-02-29T00:00:00Z"')
  assert.equal(run('root = this.d.ts_strptime("%s")', '{"d":"1597405826"}'), '"2020-08-14T11:50:26Z"')
  // Out-of-month days normalise, as Go's time.Date does.
  assert.equal(run('root = this.d.ts_strptime("%Y-%m-%d")', '{"d":"2021-02-31"}'), '"2021-03-03T00:00:00Z"')
  assert.equal(
    failure('root = this.d.ts_strptime("%Y-%m-%d")', '{"d":"2024-02-27 x"}'),
    'failed assignment (line 1): field `this.d`: failed to parse "2024-02-27 x" with "%Y-%m-%d": unparsed string " x"',
  )
  assert.equal(
    failure('root = this.d.ts_strptime("%Y-%m-%d")', '{"d":"2024/02/27"}'),
    'failed assignment (line 1): field `this.d`: failed to parse "2024/02/27" with "%Y-%m-%d": expected \'-\'',
  )
  assert.equal(
    failure('root = this.d.ts_strptime("%H:%M")', '{"d":"24:00"}'),
    'failed assignment (line 1): field `this.d`: failed to parse "24:00" with "%H:%M": cannot parse "%H"',
  )
  assert.equal(
    failure('root = this.d.ts_strptime("%Q")', '{"d":"x"}'),
    'failed assignment (line 1): field `this.d`: failed to parse "x" with "%Q": unexpected format "%Q"',
  )
})

test('ts_unix family, ts_tz, ts_sub, ts_round', () => {
  assert.equal(
    run('root.s = this.t.ts_unix()\nroot.ms = this.t.ts_unix_milli()\nroot.us = this.t.ts_unix_micro()\nroot.ns = this.t.ts_unix_nano()', '{"t":"2020-08-14T11:45:26.123456789Z"}'),
    '{"ms":1597405526123,"ns":1597405526123456789,"s":1597405526,"us":1597405526123456}',
  )
  assert.equal(run('root = [this.t.ts_unix(), this.t.format_timestamp_unix_nano()]', '{"t":1257894000}'), '[1257894000,1257894000000000000]')
  assert.equal(run('root = this.t.ts_unix_nano()', '{"t":-1.5}'), '-1500000000')
  assert.equal(run('root = this.t.ts_tz("UTC")', '{"t":"2021-02-03T17:05:06+01:00"}'), '"2021-02-03T16:05:06Z"')
  assert.equal(run('root = this.t.ts_tz("America/New_York")', '{"t":"2021-02-03T16:05:06Z"}'), '"2021-02-03T11:05:06-05:00"')
  assert.equal(run('root = this.t.ts_tz("Australia/Lord_Howe")', '{"t":"2021-01-01T00:00:00Z"}'), '"2021-01-01T11:00:00+11:00"')
  assert.equal(run('root = this.b.ts_sub(this.a)', '{"a":"2020-08-14T10:00:00Z","b":"2020-08-14T11:30:00Z"}'), '5400000000000')
  assert.equal(run('root = this.a.ts_sub("2020-08-14T05:54:23Z")', '{"a":"2020-08-13T05:54:23Z"}'), '-86400000000000')
  assert.equal(
    run('root = this.b.ts_strptime("%Y-%m-%d").ts_sub(this.a.ts_strptime("%Y-%m-%d")) / 86400000000000', '{"a":"2024-02-27","b":"2024-03-01"}'),
    '3',
  )
  assert.equal(run('root = this.t.ts_round("1h".parse_duration())', '{"t":"2020-08-14T05:54:23Z"}'), '"2020-08-14T06:00:00Z"')
  assert.equal(run('root = this.t.ts_round("1m".parse_duration())', '{"t":"2020-08-14T05:54:23Z"}'), '"2020-08-14T05:54:00Z"')
  assert.equal(run('root = this.t.ts_round("15m".parse_duration()).ts_format("15:04")', '{"t":"2020-08-14T05:50:00Z"}'), '05:45')
  // Halves round up; rounding is on the instant, so the zone is kept.
  assert.equal(run('root = this.t.ts_round(1000000000)', '{"t":"2020-08-14T05:54:23.5+02:00"}'), '"2020-08-14T05:54:24+02:00"')
  assert.equal(run('root = this.t.ts_round(0)', '{"t":"2020-08-14T05:54:23.5Z"}'), '"2020-08-14T05:54:23.5Z"')
})

test('strings coerce to timestamps with time.Parse(RFC3339Nano) rules in .timestamp() and timestamp parameters', () => {
  // Go accepts a `,` fraction, more than nine fraction digits and a one-digit hour...
  assert.equal(run('root = this.t.timestamp()', '{"t":"2020-01-01T1:02:03,5Z"}'), '"2020-01-01T01:02:03.5Z"')
  assert.equal(run('root = this.t.timestamp()', '{"t":"2020-01-01T00:00:00.123456789123+05:30"}'), '"2020-01-01T00:00:00.123456789+05:30"')
  assert.equal(run('root = "2020-01-01T02:00:00Z".ts_sub(this.t)', '{"t":"2020-01-01T00:00:00,25+00:00"}'), '7199750000000')
  // ...but not a lower-case `t` or `z`, and its error texts name the failing element.
  assert.equal(
    failure('root = this.t.timestamp()', '{"t":"2020-01-01t00:00:00z"}'),
    'failed assignment (line 1): field `this.t`: parsing time "2020-01-01t00:00:00z" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "t00:00:00z" as "T"',
  )
  assert.equal(
    failure('root = this.t.timestamp()', '{"t":"2020-01-01T00:00:00z"}'),
    'failed assignment (line 1): field `this.t`: parsing time "2020-01-01T00:00:00z" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "z" as "Z07:00"',
  )
  assert.equal(
    failure('root = "2020-01-01T02:00:00Z".ts_sub(this.t)', '{"t":"2020-01-01t00:00:00Z"}'),
    'failed assignment (line 1): failed to extract input arg \'t2\': parsing time "2020-01-01t00:00:00Z" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "t00:00:00Z" as "T"',
  )
  assert.equal(
    failure('root = content().timestamp()', '2020-02-30T00:00:00Z'),
    'failed assignment (line 1): function content: parsing time "2020-02-30T00:00:00Z": day out of range',
  )
})

test('ISO 8601 periods: ts_add_iso8601, ts_sub_iso8601, parse_duration_iso8601', () => {
  assert.equal(run('root = this.t.ts_add_iso8601("P1Y")', '{"t":"2020-08-14T05:54:23Z"}'), '"2021-08-14T05:54:23Z"')
  assert.equal(run('root = this.t.ts_add_iso8601("P1Y2M3DT4H5M6S")', '{"t":"2020-01-01T00:00:00Z"}'), '"2021-03-04T04:05:06Z"')
  assert.equal(run('root = this.t.ts_sub_iso8601("P1Y2M3DT4H5M6S")', '{"t":"2021-03-04T04:05:06Z"}'), '"2020-01-01T00:00:00Z"')
  assert.equal(run('root = this.t.ts_add_iso8601("P1M").ts_format("2006-01-02")', '{"t":"2021-01-31T00:00:00Z"}'), '2021-03-03')
  assert.equal(run('root = this.t.ts_add_iso8601("P2W")', '{"t":"2021-01-31T00:00:00Z"}'), '"2021-02-14T00:00:00Z"')
  assert.equal(run('root = this.t.ts_add_iso8601("-P1D")', '{"t":"2021-03-01T00:00:00Z"}'), '"2021-02-28T00:00:00Z"')
  assert.equal(run('root = this.t.ts_add_iso8601("PT1.5S")', '{"t":"2021-03-01T00:00:00Z"}'), '"2021-03-01T00:00:01.5Z"')
  // Calendar days follow the wall clock across a DST change; a fractional day does not.
  assert.equal(run('root = this.t.ts_tz("Europe/Paris").ts_add_iso8601("P1D")', '{"t":"2021-03-27T12:00:00Z"}'), '"2021-03-28T13:00:00+02:00"')
  assert.equal(run('root = this.d.parse_duration_iso8601()', '{"d":"P3Y6M4DT12H30M5S"}'), '110839937000000000')
  assert.equal(run('root = this.d.parse_duration_iso8601() / 1000000000', '{"d":"PT2H"}'), '7200')
  assert.equal(run('root = this.d.parse_duration_iso8601()', '{"d":"PT1M30S"}'), '90000000000')
  assert.equal(run('root = this.d.parse_duration_iso8601()', '{"d":"P0D"}'), '0')
  assert.match(failure('root = this.t.ts_add_iso8601("P1X")', '{"t":1}'), /^line 1 char \d+: P1X: expected a designator Y, M, W, D, H, or S not 'X'$/)
  const bad: Array<[string, string]> = [
    ['', 'cannot parse a blank string as a period'],
    ['1D', "1D: expected 'P' period mark at the start"],
    ['P', "P: expected 'Y', 'M', 'W', 'D', 'H', 'M', or 'S' designator"],
    ['P1', 'P1: missing designator at the end'],
    ['PX', "PX: expected a number but found 'X'"],
    ['P1.5Y2M', "P1.5Y2M: 'Y' & 'M' only the last field can have a fraction"],
    ['P1H', "P1H: 'H' designator cannot occur here"],
    ['P1D1D', "P1D1D: 'D' designator cannot occur more than once"],
    ['PT1HT1M', "PT1HT1M: 'T' designator cannot occur more than once"],
  ]
  for (const [input, want] of bad) {
    assert.equal(failure('root = this.d.parse_duration_iso8601()', JSON.stringify({ d: input })), `failed assignment (line 1): field \`this.d\`: ${want}`)
  }
})

test('parse_duration and the deprecated aliases', () => {
  assert.equal(run('root = [this.a.parse_duration(), this.b.parse_duration() / 1000000000]', '{"a":"1m30s","b":"2h"}'), '[90000000000,7200]')
  assert.equal(run('root = this.d.parse_duration()', '{"d":"50us"}'), '50000')
  assert.equal(failure('root = this.d.parse_duration()', '{"d":"1q"}'), 'failed assignment (line 1): field `this.d`: time: unknown unit "q" in duration "1q"')
  assert.equal(run('root = this.d.parse_timestamp("2006-Jan-02")', '{"d":"2020-Aug-14"}'), '2020-08-14T00:00:00Z')
  assert.equal(run('root = this.d.parse_timestamp_strptime("%Y-%m-%d")', '{"d":"2020-08-14"}'), '2020-08-14T00:00:00Z')
  assert.equal(run('root = this.t.format_timestamp_strftime("%Y", "UTC")', '{"t":"2020-08-14T00:00:00Z"}'), '2020')
  assert.equal(run('root = this.t.format_timestamp_unix()', '{"t":"2020-08-14T00:00:00Z"}'), '1597363200')
  assert.equal(run('root = this.t.format_timestamp_unix_milli()', '{"t":"2020-08-14T11:45:26.123Z"}'), '1597405526123')
  assert.equal(run('root = this.t.format_timestamp_unix_micro()', '{"t":"2020-08-14T11:45:26.123456Z"}'), '1597405526123456')
})

test('every documented time example produces its output', () => {
  for (const def of timeMethods) {
    for (const ex of def.examples ?? []) {
      if (ex.output !== undefined) assert.equal(run(ex.mapping, ex.input), ex.output, `${def.name}: ${ex.mapping}`)
      if (ex.error !== undefined) assert.ok(failure(ex.mapping, ex.input).includes(ex.error), `${def.name}: ${ex.mapping}`)
    }
  }
})
