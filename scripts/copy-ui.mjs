#!/usr/bin/env node
// Copies the status page's sources (src/ui: HTML, CSS, browser JS) beside the compiled API
// (dist/src/ui), where src/api/ui.ts reads and inlines them. Runs after tsc in `npm run build`.
import { cp, rm } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const to = resolve(root, 'dist/src/ui')
await rm(to, { recursive: true, force: true })
await cp(resolve(root, 'src/ui'), to, { recursive: true })
