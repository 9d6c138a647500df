/**
 * The component model every other part builds on: field specs with typed builders, component specs,
 * and the runtime contracts (inputs, processors, outputs, caches, ...) components implement.
 */
export * from './field.js'
export * from './component.js'
export * from './contracts.js'
export { NotConnectedError, isNotConnected } from './not-connected.js'
