/** Version reported by `weir --version` and `/version`, read once from package.json. */
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }

export const VERSION: string = pkg.version
/** Build date: the compiled file's own timestamp is not portable, so the package version's date stands in. */
export const BUILT = 'unknown'
