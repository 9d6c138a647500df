/**
 * Weir's HTTP surface shared by the main-thread proxy and worker-side servers: the route grammar
 * and matcher, response framing and the header shapes. Imports nothing from api/, supervisor/,
 * components/ or stream/, so both sides can use it without a cycle.
 */
export { compileTemplate, templateProblem, type CompiledTemplate, type RouteParams } from './route-template.js'
export { Router, type RouteMatch } from './router.js'
export { rawHeader, type HeaderPairs, type RawHeaders } from './headers.js'
export { movedPermanently, notFound, responseHead, sendResponse, textResponse, writeFramed, type HttpResponse } from './response.js'
export { streamPath } from './stream-path.js'
export { cleanPathRedirect } from './clean-path.js'
export { DEFAULT_LIMITS, KEEP_ALIVE_TIMEOUT_MS, type ServerLimits } from './limits.js'
export { lingerOnClose } from './linger.js'
