/**
 * Block scalars (`|`, `>`) as the reference's YAML library (go-yaml v3, a port of libyaml) reads
 * them, where the `yaml` package reads them differently:
 *
 * - A last content line ended by the end of the text, not by a line break, has no line break to
 *   keep: `a: |\n  foo` (no newline at the end of the file) is `foo` in go-yaml and `foo\n` in
 *   `yaml`, under clip (`|`, `>`) and keep (`|+`, `>+`) chomping alike. Files saved without a
 *   final newline are common, and `content_equals` in `weir test` compares bytes.
 * - While the indentation is still being detected (no indentation indicator), a tab right after
 *   the leading spaces of a line is an error ("found a tab character where an indentation space
 *   is expected"); `yaml` takes the tab as content.
 */
import { visit, type CST, type Document, type Scalar } from 'yaml'

export interface TabProblem {
  /** Offset of the tab in the text. */
  offset: number
  message: string
}

export const TAB_INDENT_MESSAGE = 'found a tab character where an indentation space is expected'

/**
 * Adjusts the values of block scalars in `document` (composed with `keepSourceTokens`) to
 * go-yaml's reading of `text`; returns the first indentation tab problem, if any.
 */
export function alignBlockScalars(document: Document, text: string): TabProblem | undefined {
  // Most files end with a line break and hold no tab: nothing can differ, skip the walk.
  if (!text.includes('\t') && (text === '' || /[\r\n]$/.test(text))) return undefined
  let problem: TabProblem | undefined
  visit(document, {
    Scalar(_key, node) {
      if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') return
      const token = (node as Scalar & { srcToken?: CST.Token }).srcToken
      if (!token || token.type !== 'block-scalar') return
      const header = headerOf(token)
      problem ??= tabInIndentation(token, header)
      if (header.chomp !== '-' && endsWithContentLineAtEof(token, text, header) && typeof node.value === 'string' && node.value.endsWith('\n')) {
        node.value = node.value.slice(0, -1)
      }
    },
  })
  return problem
}

interface Header {
  chomp: '' | '-' | '+'
  /** The indentation indicator, 0 when absent. */
  explicit: number
}

function headerOf(token: CST.BlockScalar): Header {
  const found = token.props.find((p) => p.type === 'block-scalar-header')
  const h = found && 'source' in found ? found.source : ''
  const chomp = h.includes('-') ? '-' : h.includes('+') ? '+' : ''
  const digit = /[1-9]/.exec(h)
  return { chomp, explicit: digit ? Number(digit[0]) : 0 }
}

/** Lines of the scalar's body, each without its line break. */
function bodyLines(token: CST.BlockScalar): string[] {
  return token.source.split(/\r?\n|\r/)
}

/**
 * True when the body reaches the end of the text and its last line, which no line break ends, holds
 * content (a character at or past the content indentation) rather than indentation only.
 */
function endsWithContentLineAtEof(token: CST.BlockScalar, text: string, header: Header): boolean {
  if (token.source === '' || /[\r\n]$/.test(token.source)) return false
  if (token.offset + headerLength(token) + token.source.length !== text.length) return false
  const lines = bodyLines(token)
  const last = lines[lines.length - 1]!
  if (/[^ ]/.test(last)) return true
  const indent = header.explicit > 0 ? token.indent + header.explicit : detectedIndent(lines.slice(0, -1))
  return indent !== undefined && last.length > indent
}

function headerLength(token: CST.BlockScalar): number {
  let n = 0
  for (const p of token.props) if ('source' in p) n += p.source.length
  return n
}

/** Leading spaces of the first line that holds more than spaces (none: no content line). */
function detectedIndent(lines: string[]): number | undefined {
  for (const l of lines) {
    const m = /^( *)(.)/.exec(l)
    if (m) return m[1]!.length
  }
  return undefined
}

function tabInIndentation(token: CST.BlockScalar, header: Header): TabProblem | undefined {
  if (header.explicit > 0) return undefined
  let offset = token.offset + headerLength(token)
  for (const raw of token.source.split('\n')) {
    const m = /^( *)(.?)/.exec(raw)!
    if (m[2] === '\t') return { offset: offset + m[1]!.length, message: TAB_INDENT_MESSAGE }
    // The first line with content fixes the indentation; tabs after it are content.
    if (m[2] !== '' && m[2] !== '\r') return undefined
    offset += raw.length + 1
  }
  return undefined
}
