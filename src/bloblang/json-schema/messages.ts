/**
 * Validation failures in gojsonschema's words (its default locale), and the one-line-per-error
 * text the reference's `json_schema` method and processor build from them.
 */

/** Where in the document a failure is: gojsonschema's context list, `(root)` first. */
export class Context {
  constructor(
    readonly head: string,
    readonly tail: Context | undefined,
  ) {}
  toString(): string {
    return this.tail === undefined ? this.head : this.tail.toString() + '.' + this.head
  }
  /** The place as messages name it: `(root)` alone, otherwise the path without it. */
  get field(): string {
    const s = this.toString()
    return s.startsWith('(root).') ? s.slice(7) : s
  }
}

export const ROOT = new Context('(root)', undefined)

export interface Violation {
  /** The failing place, `(root)` or a dotted path without the root (`foo.0.bar`). */
  readonly field: string
  /** gojsonschema's description, as its default locale words it. */
  readonly description: string
  /** The property the failure is about (required, additional and property-name failures). */
  readonly property?: string
}

export function violation(ctx: Context, description: string, property?: string): Violation {
  const field = ctx.field
  return property === undefined ? { field, description } : { field, description, property }
}

/**
 * The reference's error text: each failure as `<field> <description>`, lower-cased, except that
 * a property name keeps its case when the description starts with it. (It is prepended even when
 * the description does not start with it, so `additionalProperties` failures read
 * `(root) baradditional property bar is not allowed`; that is the reference's output.)
 */
export function violationsText(list: readonly Violation[]): string {
  return list
    .map((v) => {
      let d = v.description.toLowerCase()
      if (v.property !== undefined) {
        const p = v.property.toLowerCase()
        d = v.property + (d.startsWith(p) ? d.slice(p.length) : d)
      }
      return v.field + ' ' + d
    })
    .join('\n')
}
