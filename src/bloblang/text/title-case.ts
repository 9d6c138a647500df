/**
 * golang.org/x/text `cases.Title(language.English)`, which `capitalize` uses: word breaks,
 * full title-case mappings (digraphs, Greek iota subscripts) and the final-sigma rule.
 */
import { singleCodePoint, titleGreekIota } from './unicode-case.js'

const DIGRAPH_TITLE: Record<number, string> = {
  0x1c4: '\u01c5', 0x1c5: '\u01c5', 0x1c6: '\u01c5',
  0x1c7: '\u01c8', 0x1c8: '\u01c8', 0x1c9: '\u01c8',
  0x1ca: '\u01cb', 0x1cb: '\u01cb', 0x1cc: '\u01cb',
  0x1f1: '\u01f2', 0x1f2: '\u01f2', 0x1f3: '\u01f2',
}

/** Full title-case mapping (Unicode SpecialCasing), as golang.org/x/text/cases applies it. */
function titleMap(ch: string): string {
  const cp = ch.codePointAt(0)!
  const digraph = DIGRAPH_TITLE[cp]
  if (digraph !== undefined) return digraph
  // Georgian Mkhedruli letters have upper-case (Mtavruli) forms but title-case to themselves.
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return ch
  if (cp === 0x149) return '\u02bcN'
  if (cp >= 0x1f80 && cp <= 0x1fff) {
    const iota = titleGreekIota(cp)
    if (iota !== undefined) return iota
  }
  const up = ch.toUpperCase()
  if (singleCodePoint(up)) return up
  // Multi-character mappings: a Greek letter with ypogegrammeni keeps the subscript in title
  // case; the rest (ligatures, ß, Armenian) capitalise only their first letter.
  if (cp >= 0x1f80 && cp <= 0x1fff && up.endsWith('\u0399')) return up.slice(0, -1) + '\u0345'
  const first = String.fromCodePoint(up.codePointAt(0)!)
  return first + up.slice(first.length).toLowerCase()
}

const CASED = /\p{Cased}/u
const CASE_IGNORABLE = /\p{Case_Ignorable}/u
// Word-break classes that never start a new word (UAX #29 ALetter, Hebrew_Letter, Numeric,
// Extend, ExtendNumLet, Format, ZWJ, MidLetter, MidNumLet, Single_Quote), approximated with the
// properties JavaScript exposes: ideographs, kana and South-East Asian letters are "Other".
let notBreak: RegExp | undefined
// Compiled on first use, with the table below: its Unicode set operations cost ~0.4 ms per thread.
const notBreakClass = (): RegExp =>
  (notBreak ??= new RegExp(
    String.raw`[[[\p{M}\p{Nd}\p{Pc}\p{Cf}\u202f:\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a.\u2018\u2019\u2024\ufe52\uff07\uff0e'` +
      String.raw`\u02c2-\u02c5\u05f3\u02d2-\u02d7\u02de\u02df\u02e5-\u02eb\u02ed\u02ef-\u02ff\ua708-\ua716\ua720\ua721\ua789\ua78a\uab5b` +
      String.raw`\u055a-\u055c\u055e\u058a\u066b\u{1f3fb}-\u{1f3ff}]` +
      String.raw`[\p{Alphabetic}--[\p{Ideographic}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Myanmar}\p{sc=Khmer}` +
      String.raw`\p{sc=Tai_Le}\p{sc=New_Tai_Lue}\p{sc=Tai_Tham}\p{sc=Tai_Viet}]]]` +
      String.raw`--[\u200b\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]]`,
    'v',
  ))
const MID = /[:\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a.\u2018\u2019\u2024\ufe52\uff07\uff0e']/

interface RuneInfo {
  cased: boolean
  ignorable: boolean
  brk: boolean
  mid: boolean
}

function classify(ch: string): RuneInfo {
  const cased = CASED.test(ch)
  const ignorable = CASE_IGNORABLE.test(ch)
  return { cased, ignorable, brk: !notBreakClass().test(ch), mid: ignorable && !cased && MID.test(ch) }
}

// Built on first use: classifying compiles notBreakClass's large Unicode sets, a few ms that every
// stream thread paid when loading Bloblang, though few mappings ever call `capitalize`.
let asciiInfo: readonly RuneInfo[] | undefined

function runeInfo(ch: string): RuneInfo {
  const c = ch.charCodeAt(0)
  if (c >= 128) return classify(ch)
  asciiInfo ??= Array.from({ length: 128 }, (_, i) => classify(String.fromCharCode(i)))
  return asciiInfo[c]!
}

/**
 * golang.org/x/text `cases.Title(language.English)`: the first cased letter of each word is
 * title-cased and the rest of the word lower-cased; words break on anything that is not a
 * letter, digit, mark or in-word punctuation, and on two in-word punctuation marks in a row.
 */
export function goTitle(s: string): string {
  const chars = Array.from(s)
  const infos = chars.map(runeInfo)
  let out = ''
  let midWord = false
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    const p = infos[i]!
    if (i > 0 && infos[i - 1]!.mid && p.mid) midWord = false
    if (p.cased) {
      if (!midWord) {
        out += titleMap(ch)
        midWord = true
      } else if (ch === '\u03a3') out += finalSigma(infos, i)
      else out += ch.toLowerCase()
    } else {
      out += ch
      if (p.brk) midWord = false
    }
  }
  return out
}

/** Lower-case sigma inside a word: σ when a cased letter follows (past case-ignorables), else ς. */
function finalSigma(infos: readonly RuneInfo[], i: number): string {
  for (let j = i + 1; j < infos.length && j <= i + 31; j++) {
    const q = infos[j]!
    if (!q.ignorable) return q.cased ? '\u03c3' : '\u03c2'
  }
  return '\u03c2'
}
