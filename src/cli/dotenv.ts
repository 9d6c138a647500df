/** `-e/--env-file`: dotenv files (globs allowed) loaded into the process environment first (spec §5.4). */
import { readFileSync } from 'node:fs'
import { expandGlobs } from '../config/glob.js'
import { parseDotenv } from '../config/env.js'
import { toErrorData, weirError, type ErrorData } from '../errors.js'

export function loadDotenvFiles(patterns: string[]): ErrorData[] {
  const errors: ErrorData[] = []
  for (const file of expandGlobs(patterns)) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      errors.push(weirError('CONFIG_READ', `failed to read env file: ${err instanceof Error ? err.message : String(err)}`, { file }).data)
      continue
    }
    try {
      for (const [k, v] of Object.entries(parseDotenv(text))) process.env[k] = v
    } catch (err) {
      errors.push({ ...toErrorData(err, 'CONFIG_INVALID'), file })
    }
  }
  return errors
}
