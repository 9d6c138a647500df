/**
 * Log lines in the reference's shapes (spec streams-mode §14): logrus' text formatter for `logfmt`
 * (`time`, `level`, `msg` first, then the other fields sorted) and its JSON formatter for `json`
 * (all keys sorted, as Go's encoder writes maps). One line per call, written synchronously to the
 * sink (stdout by default) so lines from one thread never interleave mid-line.
 */
import { goFloat } from './go-format.js'

type Fields = Record<string, unknown>

export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  debug(msg: string, fields?: Record<string, unknown>): void
  trace(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

export interface LoggerSettings {
  level: string
  format: 'logfmt' | 'json'
  addTimestamp: boolean
  staticFields: Record<string, string>
  levelName: string
  timestampName: string
  messageName: string
}

/** Numeric severities: a line is written when its level is <= the configured one. */
const LEVELS: Record<string, number> = {
  OFF: 0,
  NONE: 0,
  FATAL: 1,
  ERROR: 2,
  WARN: 3,
  INFO: 4,
  DEBUG: 5,
  TRACE: 6,
  ALL: 6,
}

// logrus' Level.String(): note `warning`, not `warn`.
const LEVEL_TEXT = ['panic', 'fatal', 'error', 'warning', 'info', 'debug', 'trace'] as const

export type LogSink = (line: string) => void

const stdoutSink: LogSink = (line) => {
  process.stdout.write(line)
}

/** Level number for a configured level name (unknown names fall back to INFO, as logrus does). */
export function levelNumber(level: string): number {
  return LEVELS[level.toUpperCase()] ?? LEVELS.INFO!
}

/**
 * A logger writing one line per event.
 *
 * @example createLogger(settings, { stream: 'foo' }).child({ path: 'root.input', label: '' }).info('hi')
 */
export function createLogger(settings: LoggerSettings, base: Fields = {}, sink: LogSink = stdoutSink): Logger {
  const shared: Shared = {
    max: levelNumber(settings.level),
    json: settings.format === 'json',
    timestamps: settings.addTimestamp,
    levelName: settings.levelName || 'level',
    timeName: settings.timestampName || 'time',
    msgName: settings.messageName || 'msg',
    sink,
  }
  return new LineLogger(shared, { ...settings.staticFields, ...base })
}

interface Shared {
  max: number
  json: boolean
  timestamps: boolean
  levelName: string
  timeName: string
  msgName: string
  sink: LogSink
}

class LineLogger implements Logger {
  readonly #s: Shared
  readonly #fields: Fields

  constructor(shared: Shared, fields: Fields) {
    this.#s = shared
    this.#fields = fields
  }

  error(msg: string, fields?: Fields): void {
    if (this.#s.max >= 2) this.#write(2, msg, fields)
  }
  warn(msg: string, fields?: Fields): void {
    if (this.#s.max >= 3) this.#write(3, msg, fields)
  }
  info(msg: string, fields?: Fields): void {
    if (this.#s.max >= 4) this.#write(4, msg, fields)
  }
  debug(msg: string, fields?: Fields): void {
    if (this.#s.max >= 5) this.#write(5, msg, fields)
  }
  trace(msg: string, fields?: Fields): void {
    if (this.#s.max >= 6) this.#write(6, msg, fields)
  }

  child(fields: Fields): Logger {
    return new LineLogger(this.#s, { ...this.#fields, ...fields })
  }

  #write(level: number, msg: string, extra: Fields | undefined): void {
    const s = this.#s
    const fields = extra ? { ...this.#fields, ...extra } : this.#fields
    // logrus trims one trailing newline from format strings.
    const text = msg.endsWith('\n') ? msg.slice(0, -1) : msg
    const time = s.timestamps ? rfc3339(new Date()) : undefined
    s.sink(s.json ? jsonLine(s, level, text, time, fields) : logfmtLine(s, level, text, time, fields))
  }
}

function logfmtLine(s: Shared, level: number, msg: string, time: string | undefined, fields: Fields): string {
  let out = time !== undefined ? `${s.timeName}=${quote(time)} ` : ''
  out += `${s.levelName}=${LEVEL_TEXT[level]} ${s.msgName}=${quote(msg)}`
  const data = clashFree(s, fields)
  for (const k of Object.keys(data).sort()) out += ` ${k}=${quote(render(data[k]))}`
  return out + '\n'
}

/** logrus' `prefixFieldClashes`: a field named like a fixed key becomes `fields.<key>`. */
function clashFree(s: Shared, fields: Fields): Fields {
  if (!(s.timeName in fields || s.levelName in fields || s.msgName in fields)) return fields
  const out: Fields = {}
  for (const [k, v] of Object.entries(fields)) {
    out[k === s.timeName || k === s.levelName || k === s.msgName ? `fields.${k}` : k] = v
  }
  return out
}

function jsonLine(s: Shared, level: number, msg: string, time: string | undefined, fields: Fields): string {
  const obj: Fields = {}
  for (const [k, v] of Object.entries(clashFree(s, fields))) obj[k] = v instanceof Error ? v.message : v
  obj[s.levelName] = LEVEL_TEXT[level]
  obj[s.msgName] = msg
  if (time !== undefined) obj[s.timeName] = time
  const sorted: Fields = {}
  for (const k of Object.keys(obj).sort()) sorted[k] = obj[k]
  // Go's encoder escapes HTML-significant characters and the two JS line terminators.
  return JSON.stringify(sorted).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n'
}

/** Go's `fmt.Sprint` for the values we log. */
function render(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === undefined || v === null) return '<nil>'
  if (v instanceof Error) return v.message
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v)
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v)
    } catch {
      return String(v)
    }
  }
  return String(v)
}

/** logrus' `needsQuoting` with QuoteEmptyFields, then Go's `%q`. */
function quote(s: string): string {
  if (s.length === 0) return '""'
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const plain =
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 47 || c === 64 || c === 94 || c === 43
    if (!plain) return goQuote(s)
  }
  return s
}

const GO_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' }

/** Go's `strconv.Quote`: printable runes kept, the rest escaped. */
function goQuote(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    const esc = GO_ESCAPES[c]
    if (esc !== undefined) out += esc
    else if (c >= 0x20 && c < 0x7f) out += ch
    else if (c < 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`
    else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd'
    else if (PRINTABLE.test(ch)) out += ch
    else if (c <= 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`
    else out += `\\U${c.toString(16).padStart(8, '0')}`
  }
  return out + '"'
}

// unicode.IsPrint: letters, marks, numbers, punctuation and symbols (spaces other than U+0020 are not).
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** Go's `time.RFC3339` in local time (`Z` when the offset is zero). */
export function rfc3339(d: Date): string {
  const off = -d.getTimezoneOffset()
  const p = (n: number): string => String(n).padStart(2, '0')
  const base = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  if (off === 0) return `${base}Z`
  const a = Math.abs(off)
  return `${base}${off > 0 ? '+' : '-'}${p(Math.floor(a / 60))}:${p(a % 60)}`
}

/** A logger that drops everything (tests, components built outside a stream). */
export const silentLogger: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  trace: () => {},
  child: () => silentLogger,
}
