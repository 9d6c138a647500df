/** The `tar` scanner through the real CLI, on an archive made by the system's tar. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startHost } from '../helpers/cli-host.js'

test('tar scanner: one message per entry, named in tar_name, directories included as the reference reads them', async (t) => {
  const h = await startHost(t, {
    setup: (dir) => {
      mkdirSync(join(dir, 'src/sub'), { recursive: true })
      writeFileSync(join(dir, 'src/a.txt'), 'alpha')
      writeFileSync(join(dir, 'src/sub/b.txt'), 'beta\nwith two lines')
      execFileSync('tar', ['-cf', join(dir, 'data.tar'), '-C', join(dir, 'src'), 'a.txt', 'sub'])
    },
    files: {
      'streams/t.yaml': `input:
  file:
    paths: [ ./data.tar ]
    scanner:
      tar: {}
pipeline:
  processors:
    - mapping: 'root = meta("tar_name") + "=" + content().string().replace_all("\\n", "|")'
output:
  file:
    path: ./out.txt
`,
    },
    args: ['{dir}/streams'],
  })
  const out = await h.until('three entries written', () => (h.read('out.txt').split('\n').length >= 4 ? h.read('out.txt') : undefined))
  assert.equal(out, 'a.txt=alpha\nsub/=\nsub/b.txt=beta|with two lines\n')
})
