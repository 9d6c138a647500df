/**
 * Stream file discovery and stream ids (spec §4.1, §4.2): positional arguments become
 * `{ id, file }` entries exactly as the reference derives them.
 */
import { statSync } from 'node:fs'
import { checkName } from './names.js'
import { posix } from 'node:path'
import { toErrorData, weirError, type ErrorData } from '../errors.js'
import { cleanPath, expandGlobs, walk } from './glob.js'

/** Files found by walking a directory whose id ends with this are unit-test definitions. */
export const TEST_SUFFIX = '_benthos_test'

export interface StreamEntry {
  id: string
  file: string
}

export interface ExpandedStreams {
  entries: StreamEntry[]
  errors: ErrorData[]
}

function trimSeparators(s: string): string {
  return s.replace(/^\/+|\/+$/g, '')
}

function stripExtension(id: string): string {
  let out = id
  if (out.endsWith('.yaml')) out = out.slice(0, -'.yaml'.length)
  if (out.endsWith('.yml')) out = out.slice(0, -'.yml'.length)
  return out
}

/**
 * The id of a stream file. `dir` is the directory argument the file was found under, or
 * undefined/`''` for a file given explicitly (then the base name is used).
 *
 * @example streamIdFor('./cfg', 'cfg/team/a.yaml') // 'team_a'
 * @example streamIdFor(undefined, './streams/foo.yaml') // 'foo'
 */
export function streamIdFor(dir: string | undefined, file: string): string {
  const f = cleanPath(file)
  if (!dir) return stripExtension(trimSeparators(posix.basename(f)))
  const d = cleanPath(dir)
  if (d === f) return stripExtension(trimSeparators(posix.basename(f)))
  const rel = posix.relative(d, f)
  return stripExtension(trimSeparators(rel)).split('/').join('_')
}

/**
 * Expands stream path arguments: globs (`*`, `?`, `[...]`, `**`), files (any extension) and
 * directories (walked for `.yaml`/`.yml`, skipping ids ending in `_benthos_test`). Ids that are
 * empty or collide produce the reference's errors; the first file with an id keeps it.
 */
export function expandStreamPaths(args: readonly string[]): ExpandedStreams {
  const entries: StreamEntry[] = []
  const errors: ErrorData[] = []
  let targets: string[]
  try {
    targets = expandGlobs(args)
  } catch (err) {
    const e = toErrorData(err, 'CONFIG_INVALID')
    return { entries, errors: [{ ...e, message: `failed to resolve stream glob pattern: ${e.message}` }] }
  }
  const found: { id: string; file: string }[] = []
  for (const raw of targets) {
    const target = cleanPath(raw)
    let isDir: boolean
    try {
      isDir = statSync(target).isDirectory()
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String((err as Error).message)
      errors.push(weirError('CONFIG_READ', `stat ${target}: ${why}`, { file: target }).data)
      continue
    }
    if (!isDir) {
      found.push({ id: streamIdFor(undefined, target), file: target })
      continue
    }
    walk(target, (path, dir) => {
      if (dir || !(path.endsWith('.yaml') || path.endsWith('.yml'))) return
      // Kubernetes ConfigMap mounts keep real copies under `..<timestamp>/` next to the `..data`
      // symlink; the reference would load them as extra streams. Weir skips `..`-prefixed entries.
      if (/(^|\/)\.\.[^/]/.test(path.slice(target.length))) return
      const id = streamIdFor(target, path)
      if (id.endsWith(TEST_SUFFIX)) return
      found.push({ id, file: cleanPath(path) })
    })
  }
  const ids = new Set<string>()
  for (const { id, file } of found) {
    if (id === '') {
      errors.push(weirError('CONFIG_ID', `failed to load config '${file}': stream id could not be inferred from file: ${file}`, { file }).data)
      continue
    }
    const bad = checkName('stream id', id)
    if (bad) {
      // Quoted: the name itself may hold the line break that was refused.
      errors.push(weirError('CONFIG_ID', `failed to load config ${JSON.stringify(file)}: ${bad}`, { file }).data)
      continue
    }
    if (ids.has(id)) {
      errors.push(weirError('CONFIG_ID', `failed to load config '${file}': stream id (${id}) collision from file: ${file}`, { file, stream: id }).data)
      continue
    }
    ids.add(id)
    entries.push({ id, file })
  }
  return { entries, errors }
}
