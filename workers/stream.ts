/**
 * Thread entry for one stream from the compiled modules (no bundle): used when the bundle is
 * missing and when `WEIR_EXTRA_COMPONENTS` is set, whose modules must share these module instances.
 */
import { runStreamWorker } from './stream-main.js'

runStreamWorker()
