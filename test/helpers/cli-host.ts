/**
 * Runs the real CLI (`node dist/src/main.js streams ...`) on an ephemeral loopback port with stream
 * files in a temp dir, and gives tests HTTP helpers and polls with deadlines (never fixed sleeps).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync, renameSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestContext } from 'node:test'
import { pollUntil, type Probe } from './poll.js'

export const MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url))

export interface HostOptions {
  /** Files to create below the temp dir before start: relative path → content. */
  files?: Record<string, string>
  /** Arguments after `streams`; `{dir}` is replaced by the temp dir. Default: the dir itself. */
  args?: string[]
  env?: Record<string, string>
  /** Written to the CLI's stdin (then closed); stdin is ignored otherwise. */
  stdin?: string
  /** Runs after `files` are written and before the CLI starts (symlinks, permissions...). */
  setup?: (dir: string) => void
  /** Wait for the HTTP server (false for runs expected to exit early). */
  waitListening?: boolean
  /**
   * As root, run the CLI without the capabilities that let root read and search any file
   * (`setpriv` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH), so file permissions apply to it:
   * permission tests that must hold as root. Unlike switching to another user, the CLI can still
   * reach the checkout wherever it lies (a clone in a 0700 temp dir included).
   */
  fileModesApply?: boolean
}

export interface RunningHost {
  dir: string
  base: string
  proc: ChildProcess
  stdout(): string
  stderr(): string
  write(rel: string, content: string): void
  rename(from: string, to: string): void
  remove(rel: string): void
  /** A file below the temp dir as text; '' while it does not exist (an output not written yet). */
  read(rel: string): string
  fetch(path: string, init?: RequestInit): Promise<Response>
  text(path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }>
  json<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>
  /** Poll `fn` until it returns a truthy value or the deadline passes. */
  until<T>(what: string, fn: Probe<T>, timeoutMs?: number): Promise<T>
  /** Resolves with the exit code after SIGTERM (or after the process ends by itself). */
  stop(signal?: NodeJS.Signals): Promise<number | null>
  exited: Promise<number | null>
}

export async function startHost(t: TestContext, opts: HostOptions = {}): Promise<RunningHost> {
  const dir = mkdtempSync(join(tmpdir(), 'weir-test-'))
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), content)
  }
  opts.setup?.(dir)
  const args = (opts.args ?? ['{dir}']).map((a) => a.replaceAll('{dir}', dir))
  const command = [process.execPath, MAIN, 'streams', '--set', 'http.address=127.0.0.1:0', ...args]
  if (opts.fileModesApply && process.getuid?.() === 0) command.unshift('setpriv', '--bounding-set=-dac_override,-dac_read_search')
  const proc = spawn(command[0]!, command.slice(1), {
    cwd: dir,
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (opts.stdin !== undefined) proc.stdin!.end(opts.stdin)
  let out = ''
  let err = ''
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  t.after(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL')
      await exited
    }
    rmSync(dir, { recursive: true, force: true })
  })

  const until = <T>(what: string, fn: Probe<T>, timeoutMs = 45_000): Promise<T> =>
    pollUntil(what, fn, { timeoutMs, intervalMs: 25, detail: () => `\nstdout:\n${out}\nstderr:\n${err}` })

  let base = ''
  if (opts.waitListening !== false) {
    const port = await Promise.race([
      until('the HTTP server to listen', () => /Listening for HTTP requests at: https?:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]),
      exited.then((code) => {
        throw new Error(`weir exited early with ${code}\nstdout:\n${out}\nstderr:\n${err}`)
      }),
    ])
    base = `http://127.0.0.1:${port}`
  }

  const doFetch = (path: string, init?: RequestInit): Promise<Response> => fetch(base + path, init)
  return {
    dir,
    base,
    proc,
    stdout: () => out,
    stderr: () => err,
    write: (rel, content) => {
      mkdirSync(dirname(join(dir, rel)), { recursive: true })
      writeFileSync(join(dir, rel), content)
    },
    rename: (from, to) => renameSync(join(dir, from), join(dir, to)),
    remove: (rel) => unlinkSync(join(dir, rel)),
    read: (rel) => {
      try {
        return readFileSync(join(dir, rel), 'utf8')
      } catch {
        return ''
      }
    },
    fetch: doFetch,
    text: async (path, init) => {
      const r = await doFetch(path, init)
      return { status: r.status, body: await r.text(), headers: r.headers }
    },
    json: async <T>(path: string, init?: RequestInit) => {
      const r = await doFetch(path, init)
      return { status: r.status, body: (await r.json()) as T }
    },
    until,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return exited
    },
    exited,
  }
}

/** Run the CLI to completion (lint, version, bad start-up) and capture its output. */
export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [MAIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    proc.on('exit', (code) => resolve({ code, stdout, stderr }))
    proc.stdin.end(opts.input ?? '')
  })
}

export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'weir-test-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
