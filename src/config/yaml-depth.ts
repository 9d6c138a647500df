/**
 * Nesting depth of a YAML token stream, measured on the parser's CST (which the yaml package
 * builds without recursion) before anything recursive (composer, toJS, lint walks) touches it.
 */
import { isMap, isScalar, isSeq, type CST } from 'yaml'

/** Offset of the first collection deeper than `limit`, or undefined when none is. */
export function tooDeepAt(tokens: readonly CST.Token[], limit: number): number | undefined {
  const stack: { token: CST.Token; depth: number }[] = tokens.map((token) => ({ token, depth: 0 }))
  while (stack.length) {
    const { token, depth } = stack.pop()!
    switch (token.type) {
      case 'document':
        if (token.value) stack.push({ token: token.value, depth })
        break
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const d = depth + 1
        if (d > limit) return token.offset
        for (const item of token.items) {
          if ('key' in item && item.key) stack.push({ token: item.key, depth: d })
          if (item.value) stack.push({ token: item.value, depth: d })
        }
        break
      }
      case 'block-scalar':
        // Properties (anchors, tags) are flat tokens.
        break
      default:
        break
    }
  }
  return undefined
}

/**
 * Offset of the first key repeated within its map. The yaml package's own check scans the map
 * for every key (quadratic: 40,000 keys took 20 s of the main thread), so it is off and this one
 * runs instead, with the same notion of equality (identical scalar values).
 */
export function duplicateKeyAt(root: unknown): number | undefined {
  let first: number | undefined
  const stack: unknown[] = [root]
  while (stack.length) {
    const node = stack.pop()
    if (isMap(node)) {
      const seen = new Set<unknown>()
      for (const pair of node.items) {
        const key = pair.key
        if (isScalar(key)) {
          if (seen.has(key.value)) {
            const at = key.range?.[0]
            if (at !== undefined && (first === undefined || at < first)) first = at
          }
          seen.add(key.value)
        } else if (key) stack.push(key)
        if (pair.value) stack.push(pair.value)
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item)
    }
  }
  return first
}
