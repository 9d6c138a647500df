/**
 * Reading a config file without trusting what is at the path: a FIFO or device would block the
 * main thread forever (so the file is opened non-blocking and must be a regular file), a huge
 * file would be read whole (so its size is checked before reading), and every failure names the
 * file in the reference's `open <file>: <reason>` form.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs'
import { weirError, type ErrorData } from '../errors.js'
import { MAX_CONFIG_BYTES, formatBytes } from './limits.js'

export type BytesRead = { ok: true; bytes: Buffer } | { ok: false; error: ErrorData }

export function readConfigBytes(file: string): BytesRead {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    return fail(file, openMessage(file, err))
  }
  try {
    const st = fstatSync(fd)
    if (st.isDirectory()) return fail(file, `read ${file}: is a directory`)
    if (!st.isFile()) return fail(file, `read ${file}: not a regular file`, 'stream, resource and template configs must be regular files')
    if (st.size > MAX_CONFIG_BYTES) {
      return fail(file, `read ${file}: file is ${formatBytes(st.size)}, more than the ${formatBytes(MAX_CONFIG_BYTES)} Weir accepts for a config`, 'split it into several files')
    }
    // One byte more than the limit, so a file that grew since fstat is still caught.
    const buf = Buffer.allocUnsafe(Math.min(st.size, MAX_CONFIG_BYTES) + 1)
    let n = 0
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null)
      if (got === 0) break
      n += got
      if (n === buf.length) break
    }
    if (n > MAX_CONFIG_BYTES) return fail(file, `read ${file}: file is more than the ${formatBytes(MAX_CONFIG_BYTES)} Weir accepts for a config`, 'split it into several files')
    return { ok: true, bytes: buf.subarray(0, n) }
  } catch (err) {
    return fail(file, `read ${file}: ${reason(err)}`)
  } finally {
    closeSync(fd)
  }
}

function fail(file: string, message: string, hint?: string): { ok: false; error: ErrorData } {
  return { ok: false, error: weirError('CONFIG_READ', message, { file, ...(hint ? { hint } : {}) }).data }
}

/** Go's text for a file that would not open (`open <file>: no such file or directory`, ...). */
export function openMessage(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  // A dangling symlink is ENOENT too: say so, since `ls` shows the link.
  if (code === 'ENOENT') return `open ${file}: no such file or directory${isSymlink(file) ? ' (dangling symbolic link)' : ''}`
  if (code === 'EACCES') return `open ${file}: permission denied`
  if (code === 'ELOOP') return `open ${file}: too many levels of symbolic links`
  if (code === 'EISDIR') return `read ${file}: is a directory`
  return `open ${file}: ${reason(err)}`
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  if (e.code === 'EISDIR') return 'is a directory'
  return e.code ?? (err instanceof Error ? err.message : String(err))
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}
