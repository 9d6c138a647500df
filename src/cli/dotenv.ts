/** `-e/--env-file`: dotenv files (globs allowed) loaded into the process environment first (spec §5.4). */
import { readConfigBytes } from '../config/read-file.js'
import { expandGlobs } from '../config/glob.js'
import { parseDotenv } from '../config/env.js'
import { toErrorData, weirError, type ErrorData } from '../errors.js'

export function loadDotenvFiles(patterns: string[]): ErrorData[] {
  const errors: ErrorData[] = []
  for (const file of expandGlobs(patterns)) {
    // Read as configs are: a FIFO or a directory here must not hang or crash start-up.
    const read = readConfigBytes(file)
    if (!read.ok) {
      errors.push(weirError('CONFIG_READ', `failed to read env file: ${read.error.message}`, { file }).data)
      continue
    }
    const text = read.bytes.toString('utf8')
    try {
      for (const [k, v] of Object.entries(parseDotenv(text))) process.env[k] = v
    } catch (err) {
      errors.push({ ...toErrorData(err, 'CONFIG_INVALID'), file })
    }
  }
  return errors
}
