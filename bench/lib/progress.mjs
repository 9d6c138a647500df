// One progress line on stderr, so tables on stdout stay clean.
export function progress(msg) {
  process.stderr.write(`  .. ${msg}\n`)
}
