#!/usr/bin/env node
/** CLI entry: `weir streams|lint|test|list|jsonschema|blobl|--version`. */
import { ArgError } from './cli/args.js'
import { VERSION, BUILT } from './version.js'

const USAGE = `Usage: weir <command> [flags]

Commands:
  streams [paths...]   Run every stream config found at the paths (files, directories, globs)
  lint [paths...]      Lint configs; exit 1 on any finding
  list [kinds...]      List components by kind with status and summary (--format text|json|jsonschema, --status S)
  jsonschema [doc]     Print the JSON Schema of a stream file (or of root, resources, full) for editors
  test [paths...]      Run config unit tests (tests: sections, <name>_benthos_test.yaml files; dir/... recurses)
  blobl [mapping]      Apply a Bloblang mapping to stdin lines (blobl server: try mappings in a browser)

Flags for test:
  -r, --resources FILE          resource file (repeatable, globs allowed)
  -e, --env-file FILE           dotenv file applied to the environment first (repeatable)
  -t, --templates FILE          template file (repeatable, globs allowed)
      --log LEVEL               let components log at this level to stdout
  -v, --verbose                 print every test case name before it runs

Flags for streams:
  -o, --observability FILE      root config (http, logger, metrics, resources, shutdown_timeout)
  -r, --resources FILE          resource file (repeatable, globs allowed)
  -e, --env-file FILE           dotenv file loaded first (repeatable)
  -s, --set PATH=VALUE          override a root config field (repeatable)
  -w, --watcher                 reload stream and resource files when they change
      --chilled                 log lint findings instead of refusing to start
      --strict                  exit when any stream fails at start-up (default: it is listed as failed)
      --no-api                  do not register the /streams and /resources API
      --prefix-stream-endpoints=false   serve http_server paths without the /<stream> prefix
      --log.level LEVEL         override logger.level
      --max-body-size BYTES     largest request body a stream endpoint accepts (default 64MiB; API bodies: 4MiB at most)
      --max-header-size BYTES   largest request head; larger gets 431 (default 16KiB)
      --header-timeout DUR      time to receive a request's headers, then 408 (default 60s, 0 = off)
      --request-timeout DUR     time to receive a whole request, then 408 (default 5m, 0 = off)
      --heap-limit-mb MB        default heap ceiling per stream worker
      --heartbeat-timeout DUR   restart a worker whose event loop is blocked this long (default 10s, 0 = off)
      --rss-limit-mb MB         restart the stream using the most memory when the process RSS passes this
      --state-dir DIR           persist API streams and paused flags here; restored at start-up
      --config-kv URL           run the streams held in a NATS KV bucket (nats://host:4222/bucket; key = stream
                                id, value = YAML) and write API changes to it: hosts sharing it run the same streams
  -v, --version                 print the version
`

async function main(argv: string[]): Promise<number> {
  const io = { stdout: (l: string) => process.stdout.write(l + '\n'), stderr: (l: string) => process.stderr.write(l + '\n') }
  const [cmd, ...rest] = argv
  switch (cmd) {
    case '-v':
    case '--version':
    case 'version':
      io.stdout(`Version: ${VERSION}\nDate: ${BUILT}`)
      return 0
    // Commands load their modules on demand: `weir blobl` never pays for the host.
    case 'streams':
      return (await import('./cli/streams.js')).runStreams(rest, io)
    case 'lint': {
      const [{ runLint }, { loadRegistry }] = await Promise.all([import('./cli/lint.js'), import('./components/registry.js')])
      return runLint(rest, { ...io, lookup: await loadRegistry() })
    }
    case 'list': {
      const [{ runList }, { loadRegistry }] = await Promise.all([import('./cli/list.js'), import('./components/registry.js')])
      return runList(rest, { ...io, registry: await loadRegistry() })
    }
    case 'jsonschema': {
      const [{ runJsonSchema }, { loadRegistry }] = await Promise.all([import('./cli/jsonschema.js'), import('./components/registry.js')])
      return runJsonSchema(rest, { ...io, registry: await loadRegistry() })
    }
    case 'test': {
      const [{ runTest }, { loadRegistry }] = await Promise.all([import('./cli/test.js'), import('./components/registry.js')])
      return runTest(rest, { ...io, lookup: await loadRegistry(), color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined })
    }
    case 'blobl':
      return (await import('./cli/blobl.js')).runBlobl(rest)
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout(USAGE)
      return cmd === undefined ? 1 : 0
    default:
      io.stderr(`Unrecognised command: ${cmd}\n\n${USAGE}`)
      return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
    // Workers and sockets are closed by now; exit explicitly so a stray handle cannot keep us up,
    // but only once stdout and stderr have flushed: writes to a pipe are asynchronous, and an
    // exit while a handle (a client library's timer) keeps the loop alive would cut them short.
    let pending = 2
    const flushed = (): void => {
      if (--pending === 0) setImmediate(() => process.exit(code)).unref()
    }
    process.stdout.write('', flushed)
    process.stderr.write('', flushed)
  },
  (err: unknown) => {
    if (err instanceof ArgError) {
      process.stderr.write(`${err.message}\n\n${USAGE}`)
    } else {
      process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    }
    process.exit(1)
  },
)
