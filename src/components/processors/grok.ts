/**
 * `grok` processor (spec components, tier 3): tries Grok expressions in order; the first that
 * captures at least one value replaces the message with an object of its captures (see
 * `../shared/grok.ts`). A message nothing matches is flagged.
 */
import { readFileSync, statSync } from 'node:fs'
import { expandGlobs, hasMeta } from '../../config/glob.js'
import type { Batch } from '../../message/message.js'
import { defineComponent, f } from '../../spec/index.js'
import type { ComponentContext, Processor } from '../../spec/index.js'
import { invalid } from '../shared/field-error.js'
import { compileGrok, type GrokParser } from '../shared/grok.js'
import { errorFlagger } from '../shared/processor-error.js'

export default defineComponent({
  kind: 'processor',
  name: 'grok',
  status: 'stable',
  summary: 'Parses messages into a structured format by attempting to apply a list of Grok expressions, the first expression to result in at least one value replaces the original message with a JSON object containing the values.',
  config: f.object('', [
    f.array(f.string('expressions', { description: 'One or more Grok expressions to attempt against incoming messages.' })),
    f.map(f.string('pattern_definitions', { default: {}, description: 'A map of pattern definitions that can be referenced within `patterns`.' })),
    f.array(f.string('pattern_paths', { default: [], description: 'A list of paths to load Grok patterns from (wildcards allowed).' })),
    f.bool('named_captures_only', { default: true, advanced: true, description: 'Whether to only capture values from named patterns.' }),
    f.bool('use_default_patterns', { default: true, advanced: true, description: 'Whether to use a default set of patterns.' }),
    f.bool('remove_empty_values', { default: true, advanced: true, description: 'Whether to remove values that are empty from the resulting structure.' }),
  ]),
  examples: [
    {
      title: 'VPC Flow Logs',
      config: `pipeline:
  processors:
    - grok:
        expressions:
          - '%{VPCFLOWLOG}'
        pattern_definitions:
          VPCFLOWLOG: '%{NUMBER:version:int} %{NUMBER:accountid} %{NOTSPACE:interfaceid} %{NOTSPACE:srcaddr} %{NOTSPACE:dstaddr} %{NOTSPACE:srcport:int} %{NOTSPACE:dstport:int} %{NOTSPACE:protocol:int} %{NOTSPACE:packets:int} %{NOTSPACE:bytes:int} %{NUMBER:start:int} %{NUMBER:end:int} %{NOTSPACE:action} %{NOTSPACE:logstatus}'
`,
      input: ['2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK'],
      output: [
        '{"accountid":"123456789010","action":"ACCEPT","bytes":4249,"dstaddr":"172.31.16.21","dstport":22,"end":1418530070,"interfaceid":"eni-1235b8ca123456789","logstatus":"OK","packets":20,"protocol":6,"srcaddr":"172.31.16.139","srcport":20641,"start":1418530010,"version":2}',
      ],
    },
  ],
  build: (c, ctx): Processor => {
    const definitions: Record<string, string> = { ...c.pattern_definitions }
    c.pattern_paths.forEach((path, i) => addPatternFiles(path, definitions, `pattern_paths[${i}]`))
    const r = compileGrok({ expressions: c.expressions, definitions, namedOnly: c.named_captures_only, useDefaults: c.use_default_patterns, removeEmpty: c.remove_empty_values })
    if (!r.ok) {
      const e = r.error
      if (e.where === 'patterns') throw invalid('pattern_definitions', `failed to create grok compiler: ${e.message}`)
      throw invalid(`expressions[${e.index}]`, `failed to compile Grok pattern '${c.expressions[e.index]}': ${e.message}`)
    }
    return new GrokProcessor(r.parser, ctx)
  },
})

/** Pattern files: `NAME pattern` lines, `#` comments; a directory means every file in it. */
function addPatternFiles(path: string, into: Record<string, string>, field: string): void {
  const fail = (why: string): never => {
    throw invalid(field, `failed to parse patterns from path '${path}': ${why}`)
  }
  const st = statSync(path, { throwIfNoEntry: false })
  if (st === undefined && !hasMeta(path)) fail(`stat ${path}: no such file or directory`)
  let files: string[] = []
  try {
    files = expandGlobs([st?.isDirectory() ? `${path.replace(/\/$/, '')}/*` : path])
  } catch (err) {
    fail((err as Error).message)
  }
  for (const file of files) {
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      fail((err as Error).message)
    }
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue
      const sp = line.indexOf(' ')
      if (sp < 0) fail(`a pattern line needs a name and a pattern: ${line}`)
      into[line.slice(0, sp)] = line.slice(sp + 1)
    }
  }
}

class GrokProcessor implements Processor {
  readonly synchronous = true
  readonly #flag

  constructor(
    readonly parser: GrokParser,
    readonly ctx: ComponentContext,
  ) {
    this.#flag = errorFlagger(ctx, 'grok')
  }

  process(batch: Batch): Batch[] {
    for (const m of batch) {
      const r = this.parser.parse(m.text())
      if (!r.ok) {
        for (const d of r.debug) this.ctx.logger.debug(d)
        this.ctx.logger.debug(`No matches found for payload: ${m.text()}`)
        this.#flag(m, new Error('no pattern matches found'))
        continue
      }
      m.setStructured(r.value)
    }
    return [batch]
  }

  async close(): Promise<void> {}
}
