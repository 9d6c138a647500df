/** RE2's named character classes: Perl (`\d`), POSIX (`[:alpha:]`) and Unicode (`\pL`, `\p{Greek}`). */

/** Perl classes as sorted code-point range pairs [lo, hi, lo, hi, ...]. */
export const PERL_GROUPS: Record<string, { ranges: number[]; neg: boolean }> = {
  '\\d': { ranges: [0x30, 0x39], neg: false },
  '\\D': { ranges: [0x30, 0x39], neg: true },
  '\\s': { ranges: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20], neg: false },
  '\\S': { ranges: [0x09, 0x0a, 0x0c, 0x0d, 0x20, 0x20], neg: true },
  '\\w': { ranges: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a], neg: false },
  '\\W': { ranges: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a], neg: true },
}

/** POSIX classes (`[:alpha:]`) as range pairs. */
export const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  ascii: [0x00, 0x7f],
  blank: [0x09, 0x09, 0x20, 0x20],
  cntrl: [0x00, 0x1f, 0x7f, 0x7f],
  digit: [0x30, 0x39],
  graph: [0x21, 0x7e],
  lower: [0x61, 0x7a],
  print: [0x20, 0x7e],
  punct: [0x21, 0x2f, 0x3a, 0x40, 0x5b, 0x60, 0x7b, 0x7e],
  space: [0x09, 0x0d, 0x20, 0x20],
  upper: [0x41, 0x5a],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
}

// Go's general categories; "C" there has no unassigned code points (JS \p{C} includes Cn).
const GO_CATEGORIES = new Set([
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn',
  'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So',
  'Z', 'Zl', 'Zp', 'Zs',
])

/** Go's loose property-name matching: case-insensitive after the first letter, no `_ -` or spaces. */
function canonicalName(name: string): string {
  let out = ''
  let first = true
  for (const ch of name) {
    if (ch === '_' || ch === '-' || ch === ' ') continue
    if (first) {
      out += ch.toUpperCase()
      first = false
    } else out += ch.toLowerCase()
  }
  return out
}

const FOUR_LETTER_SCRIPTS = new Set(['Cham', 'Kawi', 'Lisu', 'Modi', 'Newa', 'Thai', 'Toto'])

const propertyCache = new Map<string, string[] | null>()

function jsPropertyValid(body: string): boolean {
  try {
    new RegExp(`\\p{${body}}`, 'v')
    return true
  } catch {
    return false
  }
}

/** The JS `\p{...}` bodies (unioned) for a Go Unicode class name, or null when Go rejects it. */
export function unicodeProperty(name: string): string[] | null {
  const hit = propertyCache.get(name)
  if (hit !== undefined) return hit
  let out: string[] | null = null
  const canon = canonicalName(name)
  if (GO_CATEGORIES.has(name)) out = name === 'C' ? ['Cc', 'Cf', 'Co', 'Cs'] : [name]
  else if (canon === 'Any') out = ['Any']
  else if (canon === 'Assigned') out = ['Assigned']
  else if (canon === 'Ascii') out = ['ASCII']
  else if (canon === 'Lc') out = ['LC']
  else if (/^[A-Za-z][A-Za-z0-9_ -]*$/.test(name)) {
    // Long category aliases (Letter, Uppercase_Letter) and script names (Greek, Old_Italic).
    const underscored = name.replace(/[ -]/g, '_')
    const candidates = [underscored, underscored.charAt(0).toUpperCase() + underscored.slice(1)]
    for (const c of candidates) {
      if (c.length > 2 && jsPropertyValid(`General_Category=${c}`)) {
        out = [`General_Category=${c}`]
        break
      }
      // Four-letter script names are ISO codes (Grek) that Go rejects, except these long names.
      if ((c.length !== 4 || FOUR_LETTER_SCRIPTS.has(c)) && jsPropertyValid(`Script=${c}`)) {
        out = [`Script=${c}`]
        break
      }
    }
  }
  propertyCache.set(name, out)
  return out
}
