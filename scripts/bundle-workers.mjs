#!/usr/bin/env node
// Bundles the stream worker (dist/workers/stream-main.js, compiled by tsc) into one script,
// dist/workers/stream.bundle.cjs (a CommonJS-style function expression), so a new thread reads and
// compiles one file instead of resolving and linking ~580 ES modules. Component modules stay lazy:
// their dynamic imports (src/components/loaders.ts) become functions evaluated on first call.
// workers/boot.ts (emitted as dist/workers/boot.cjs) runs it through vm.Script with V8's code cache.
// Runs after tsc in `npm run build`.
import { build } from 'esbuild'
import { readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const entry = resolve(root, 'dist/workers/stream-main.js')
const outfile = resolve(root, 'dist/workers/stream.bundle.cjs')
const outDir = dirname(outfile)

// `import.meta.url` must keep naming each module's own file (the pipeline pool and the zstd loader
// resolve paths from it), so each use becomes that file's URL relative to the bundle's.
const metaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!text.includes('import.meta.url')) return undefined
      const rel = relative(outDir, args.path).split('\\').join('/')
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, __weirBundleUrl).href`), loader: 'js' }
    })
  },
}

// A worker uses prom-client's Registry alone (src/metrics/worker-metrics.ts); the package's index
// also loads the push gateway (node:http, node:https), default metrics and cluster support, ~10 ms
// of every thread's start. In the bundle `prom-client` is that one class; an import of any other
// name fails the build ("No matching export"), which is the moment to widen this.
const promClientRegistry = {
  name: 'prom-client-registry',
  setup(b) {
    b.onResolve({ filter: /^prom-client$/ }, () => ({ path: 'prom-client', namespace: 'weir-shim' }))
    b.onLoad({ filter: /.*/, namespace: 'weir-shim' }, () => ({
      contents: "import Registry from 'prom-client/lib/registry.js'\nexport { Registry }\n",
      resolveDir: root,
      loader: 'js',
    }))
  },
}

// The config modules components import name `yaml` at the top, but a worker gets its config as a
// plain object and reaches YAML only for a located error, a template or `parse_yaml`: evaluating
// the package's ~80 modules at every thread's start cost heap for nothing (-0.4 MiB of RSS per idle
// stream with it lazy, and a little start CPU). In the bundle `yaml` is
// a module of forwarders that evaluates the real package on first use; a class forwarder builds
// the real class (`new`) and answers `instanceof` for it. A name not listed here fails the build.
// The package itself is a bundle of its own (YAML_CHUNK, one minified file the forwarders require
// on first use): inside the stream bundle its 112 KB of source sat in every thread's heap, where
// V8 keeps a script's source for lazy compilation, whether or not the thread ever read YAML.
const yamlPath = createRequire(import.meta.url).resolve('yaml')
const YAML_CHUNK = './yaml.bundle.cjs'
const yamlReal = createRequire(import.meta.url)('yaml')
const yamlNames = ['Composer', 'Document', 'Lexer', 'LineCounter', 'Parser', 'YAMLParseError', 'isAlias', 'isCollection', 'isMap', 'isScalar', 'isSeq', 'parse', 'parseAllDocuments', 'stringify', 'visit']
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'weir-lazy-yaml' }))
    b.onLoad({ filter: /.*/, namespace: 'weir-lazy-yaml' }, () => {
      const lines = [`let real; const y = () => (real ??= require(${JSON.stringify(YAML_CHUNK)}));`]
      for (const n of yamlNames) {
        const v = yamlReal[n]
        if (typeof v !== 'function') throw new Error(`lazy-yaml: yaml.${n} is not a function`)
        if (/^class\b/.test(Function.prototype.toString.call(v))) {
          lines.push(`export function ${n}(...a) { return new (y().${n})(...a) }`)
          lines.push(`Object.defineProperty(${n}, Symbol.hasInstance, { value: (v) => v instanceof y().${n} })`)
        } else {
          lines.push(`export function ${n}(...a) { return y().${n}(...a) }`)
          // Static members (visit.BREAK, visit.SKIP...) read through to the real function.
          for (const k of Object.keys(v)) lines.push(`Object.defineProperty(${n}, ${JSON.stringify(k)}, { get: () => y().${n}[${JSON.stringify(k)}] })`)
        }
      }
      return { contents: lines.join('\n'), resolveDir: root, loader: 'js' }
    })
  },
}

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [metaUrl, promClientRegistry, lazyYaml],
  // The output is the body of a CommonJS wrapper function, wrapped here rather than by boot.ts so
  // a thread holds one copy of the source (the one V8 compiled), not that and a concatenation.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {const __weirBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  footer: { js: '})' },
  logLevel: 'warning',
  legalComments: 'none',
  // undici (1.2 MB, half the bundle) is imported only when an HTTP client component is built: left
  // out, idle threads never hold its source. Likewise piscina (pipeline threads), ws (live HTTP
  // endpoints) and the NATS client with its nkeys crypto (300 KB, -0.7 MiB of RSS per idle stream
  // measured with 100 streams); a NATS stream's thread requires them from node_modules instead.
  // Not yaml: from node_modules it is ~80 files that every thread would resolve and compile
  // without the code cache (+58 ms per thread, measured); it stays in, evaluated lazily (above).
  // fflate (zip) and fzstd (zstd) likewise, for the few components and Bloblang methods using them.
  // jmespath likewise, for the `jmespath` processor.
  external: ['undici', 'piscina', 'ws', '@nats-io/*', 'tweetnacl', 'fflate', 'fzstd', 'jmespath', YAML_CHUNK],
  // Dynamic imports become require() calls: a vm.Script's import() needs Node's experimental
  // loader hook, which prints a warning.
  supported: { 'dynamic-import': false },
  // Every thread keeps the bundle's source in its heap for lazy compilation, and the compiled
  // functions keep their local names: whitespace, comments and long local names go (1.0 -> 0.77 MB
  // of source, -0.45 MiB of RSS per idle stream). Stack traces from stream threads therefore name
  // minified locals (methods and properties keep their names); errors users see are built from
  // error values, never from frames. `keepNames` is off because its __name() call per function and
  // class cost ~4 ms of every start and nothing reads `.name`.
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
})

// The yaml package for the forwarders above: one file, minified like the stream bundle.
await build({
  entryPoints: [yamlPath],
  outfile: resolve(outDir, YAML_CHUNK),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  legalComments: 'none',
  minify: true,
})

// The thread entry itself (workers/boot.ts) as CommonJS: a worker whose entry is an ES module first
// sets up Node's ES module loader, ~6 ms of CPU per thread (a third of an empty thread's start)
// that a CommonJS entry skips. It imports Node built-ins only, so this is a format change.
await build({
  entryPoints: [resolve(root, 'dist/workers/boot.js')],
  outfile: resolve(outDir, 'boot.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  define: { 'import.meta.url': '__weirBootUrl' },
  banner: { js: 'const __weirBootUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
  legalComments: 'none',
})

// Code caches of earlier builds can never match this one (boot.ts keys them by the bundle's size
// and mtime): drop them rather than let every rebuild leave one behind.
await rm(resolve(outDir, '.code-cache'), { recursive: true, force: true })
