/** The stream engine: build a stream from its config and run it (spec streams-mode §1, §11, §13). */
export { buildStream } from './stream.js'
export type { StreamEnv, StreamHandle, StopOutcome } from './types.js'
export { metricsPathOf } from './build.js'
