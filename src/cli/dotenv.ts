/** `-e/--env-file`: dotenv files (globs allowed) loaded into the process environment first (spec §5.4). */
import { readConfigBytes } from '../config/read-file.js'
import { expandGlobs } from '../config/glob.js'
import { parseDotenv } from '../config/env.js'
import { toErrorData, weirError, type ErrorData } from '../errors.js'

export function loadDotenvFiles(patterns: string[]): ErrorData[] {
  const { values, errors } = readDotenvFiles(patterns, 'failed to read env file: ')
  Object.assign(process.env, values)
  return errors
}

/**
 * The variables of every dotenv file in `patterns`, later files winning, read as configs are: a
 * FIFO or a directory here must not hang or crash the command. `prefix` leads each read error.
 */
export function readDotenvFiles(patterns: string[], prefix = ''): { values: Record<string, string>; errors: ErrorData[] } {
  const values: Record<string, string> = {}
  const errors: ErrorData[] = []
  for (const file of expandGlobs(patterns)) {
    const read = readConfigBytes(file)
    if (!read.ok) {
      errors.push(weirError('CONFIG_READ', `${prefix}${read.error.message}`, { file }).data)
      continue
    }
    try {
      Object.assign(values, parseDotenv(read.bytes.toString('utf8')))
    } catch (err) {
      errors.push({ ...toErrorData(err, 'CONFIG_INVALID'), file })
    }
  }
  return { values, errors }
}
