/** Package entry: the Bloblang engine and the message model for embedding hosts. */
export { compileMapping, compileQuery, compileInterpolation, renderExcerpt, Mapping, builtinRegistry } from './bloblang/index.js'
export type { CompileOptions, Query, Interpolation, ApplyInput, ApplyOutput } from './bloblang/index.js'
export { Message } from './message/message.js'
export type { Batch, MessageError } from './message/message.js'
