/**
 * One generated function: its source lines, its temporaries and the constants it closes over.
 * Constants (values, implementations, annotations) are handed in as an array and bound to `const`
 * locals of the factory, so the generated body reads them as closure constants, never by index.
 */
import { RT, type Runtime } from './runtime.js'

export class Unit {
  readonly #consts: unknown[] = []
  readonly #constIndex = new Map<unknown, number>()
  readonly #helpers = new Set<keyof Runtime>()
  #temps = 0
  readonly #lines: string[] = []

  /** A local holding `v` for the generated body. */
  constRef(v: unknown): string {
    let i = this.#constIndex.get(v)
    if (i === undefined) {
      i = this.#consts.length
      this.#consts.push(v)
      this.#constIndex.set(v, i)
    }
    return `k${i}`
  }

  /** A local bound to a runtime helper. */
  helper(name: keyof Runtime): string {
    this.#helpers.add(name)
    return `R_${name}`
  }

  temp(): string {
    return `t${this.#temps++}`
  }

  emit(line: string): void {
    this.#lines.push(line)
  }

  /** Position in the body, for `cut`. */
  mark(): number {
    return this.#lines.length
  }

  /** Takes back the lines emitted since `mark` (to re-emit them wrapped). */
  cut(mark: number): string[] {
    return this.#lines.splice(mark)
  }

  /** The generated source (for diagnostics and tests). */
  source(params: string): string {
    const decl: string[] = this.#consts.map((_, i) => `k${i} = K[${i}]`)
    for (const h of this.#helpers) decl.push(`R_${h} = R.${h}`)
    const temps = Array.from({ length: this.#temps }, (_, i) => `t${i}`)
    return [
      decl.length > 0 ? `const ${decl.join(', ')};` : '',
      `return function generated(${params}) {`,
      temps.length > 0 ? `let ${temps.join(', ')};` : '',
      ...this.#lines,
      '};',
    ].join('\n')
  }

  /** Instantiates the function (`new Function` over the constants and the runtime helpers). */
  build<T>(params: string): T {
    const factory = new Function('K', 'R', this.source(params)) as (k: unknown[], r: Runtime) => T
    return factory(this.#consts, RT)
  }
}
