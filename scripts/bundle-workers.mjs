#!/usr/bin/env node
// Bundles the stream worker (dist/workers/stream-main.js, compiled by tsc) into one CommonJS
// script, dist/workers/stream.bundle.cjs, so a new thread reads and compiles one file instead of
// resolving and linking ~580 ES modules. workers/boot.ts runs it through vm.Script with V8's code
// cache. Runs after tsc as part of `npm run build`.
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
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

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  plugins: [metaUrl],
  banner: { js: 'const __weirBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: 'warning',
  legalComments: 'none',
  // undici (1.2 MB, a third of the bundle) is imported only when an HTTP client component is built:
  // left out, it stays a dynamic import and idle threads never hold its source.
  external: ['undici'],
  // Every thread keeps the bundle's source in its heap for lazy compilation: whitespace and
  // comments go. Names stay (error messages and stack traces use them).
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
})
