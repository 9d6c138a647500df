/**
 * Syntax tree produced by the parser and consumed by the compiler. Positions are UTF-16 offsets
 * into the source the node came from (`Source`), turned into line/column only for messages.
 */
import type { Value } from '../value/value-types.js'

/** A parsed source text (the mapping itself or an imported file). */
export interface Source {
  text: string
  /** File path for imported sources ('' for the inline mapping). */
  file: string
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '|' | '==' | '!=' | '>' | '>=' | '<' | '<=' | '&&' | '||'

export interface Arg {
  name?: string
  value: Expr
}

interface Base {
  pos: number
}

export type Expr =
  | (Base & { kind: 'literal'; value: Value; annotation?: string })
  | (Base & { kind: 'array'; items: Expr[] })
  | (Base & { kind: 'object'; entries: { key: Expr; value: Expr }[] })
  | (Base & { kind: 'this'; path: string[] })
  | (Base & { kind: 'root'; path: string[] })
  | (Base & { kind: 'named'; name: string; path: string[] })
  | (Base & { kind: 'get'; target: Expr; path: string[] })
  | (Base & { kind: 'var'; name: string })
  | (Base & { kind: 'meta'; key: string | undefined })
  | (Base & { kind: 'call'; name: string; args: Arg[]; end: number })
  | (Base & { kind: 'method'; target: Expr; name: string; args: Arg[]; end: number })
  | (Base & { kind: 'mapExpr'; target: Expr; body: Expr })
  | (Base & { kind: 'not'; expr: Expr })
  | (Base & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr })
  | (Base & { kind: 'if'; branches: { cond: Expr; body: Expr }[]; otherwise: Expr | undefined })
  | (Base & { kind: 'match'; subject: Expr | undefined; cases: { pattern: Expr | undefined; body: Expr }[] })
  | (Base & { kind: 'lambda'; name: string; body: Expr })

export type Stmt =
  | (Base & { kind: 'assign'; path: string[]; value: Expr; line: number })
  | (Base & { kind: 'meta'; key: string | undefined; value: Expr; line: number })
  | (Base & { kind: 'let'; name: string; value: Expr; line: number })
  | (Base & { kind: 'if'; branches: { cond: Expr; body: Stmt[] }[]; otherwise: Stmt[] | undefined; line: number })

export interface MapDef {
  name: string
  body: Stmt[]
  source: Source
}

export interface Program {
  statements: Stmt[]
  maps: Map<string, MapDef>
  source: Source
}
