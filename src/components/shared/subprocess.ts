/**
 * Child processes for `command` and the `subprocess` components, with Go's `os/exec` error texts
 * (`exec: "x": executable file not found in $PATH`, `exit status 2`, `signal: killed`), which
 * users match on in `catch` mappings. The environment and working directory are the host's.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'

/** The text Go's exec package gives for a failed start. */
export function startErrorText(name: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return name.includes('/') ? `fork/exec ${name}: no such file or directory` : `exec: ${JSON.stringify(name)}: executable file not found in $PATH`
  if (err.code === 'EACCES') return `fork/exec ${name}: permission denied`
  return err.message
}

/** Go's `ExitError.Error()` for how a process ended. */
export function exitText(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `signal: ${SIGNAL_NAMES[signal] ?? signal}`
  return `exit status ${code ?? -1}`
}

// Go prints a signal by its description (syscall.Signal.String()).
const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
}

/** A started child, or the reason it could not start (a missing binary, say). */
export function startProcess(name: string, args: readonly string[]): Promise<ChildProcessWithoutNullStreams> {
  return new Promise((resolve, reject) => {
    const child = spawn(name, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const onError = (err: NodeJS.ErrnoException): void => reject(new Error(startErrorText(name, err)))
    child.once('error', onError)
    child.once('spawn', () => {
      child.off('error', onError)
      // Later errors (a write to a process that has gone) surface through the streams.
      child.on('error', () => {})
      child.stdin.on('error', () => {})
      resolve(child)
    })
  })
}

export interface RunResult {
  stdout: Buffer
  stderr: Buffer
  /** -1 when the process never started or was ended by a signal (Go's ExitCode()). */
  exitCode: number
  /** Go's error text, undefined on exit status 0. */
  error?: string
}

/** Runs a process to completion with `input` on stdin (the `command` processor). */
export async function runProcess(name: string, args: readonly string[], input: Uint8Array, signal: AbortSignal): Promise<RunResult> {
  let child: ChildProcessWithoutNullStreams
  try {
    child = await startProcess(name, args)
  } catch (err) {
    return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: -1, error: (err as Error).message }
  }
  const kill = (): void => {
    child.kill('SIGKILL')
  }
  signal.addEventListener('abort', kill, { once: true })
  const out: Buffer[] = []
  const errs: Buffer[] = []
  child.stdout.on('data', (d: Buffer) => out.push(d))
  child.stderr.on('data', (d: Buffer) => errs.push(d))
  child.stdin.end(input)
  const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])))
  signal.removeEventListener('abort', kill)
  const result: RunResult = { stdout: Buffer.concat(out), stderr: Buffer.concat(errs), exitCode: code ?? -1 }
  if (code !== 0) result.error = exitText(code, sig)
  return result
}
